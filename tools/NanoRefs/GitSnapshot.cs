using System;
using System.Diagnostics;
using System.IO;

namespace NanoRefs
{
    /// <summary>Reads files at HEAD of a git directory without a work tree (the fetch tool's snapshots have none).</summary>
    public sealed class GitSnapshot
    {
        private readonly string _gitDir;

        public GitSnapshot(string gitDir)
        {
            if (!Directory.Exists(gitDir)) throw new DirectoryNotFoundException(gitDir + " (fetch the repository first)");
            _gitDir = gitDir;
            Commit = Git("rev-parse", "HEAD").Trim();
            CommitDate = Git("log", "-1", "--format=%cs", "HEAD").Trim();
        }

        public string Commit { get; }
        public string CommitDate { get; }

        /// <summary>A file at HEAD; the path is matched ignoring case, as the Windows builds of these projects do.</summary>
        public string ReadFile(string path)
        {
            if (_files == null) _files = Git("ls-tree", "-r", "-z", "--name-only", "HEAD").Split((char)0, StringSplitOptions.RemoveEmptyEntries);
            string actual = Array.Find(_files, f => string.Equals(f, path, StringComparison.OrdinalIgnoreCase));
            if (actual == null) throw new FileNotFoundException(path + " is not in " + _gitDir + " at HEAD");
            return Git("show", "HEAD:" + actual);
        }

        private string[] _files;

        private string Git(params string[] args)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--git-dir=" + _gitDir);
            foreach (string a in args) start.ArgumentList.Add(a);
            using (Process p = Process.Start(start))
            {
                string output = p.StandardOutput.ReadToEnd();
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException("git " + string.Join(" ", args) + " in " + _gitDir + ": " + error);
                return output;
            }
        }
    }
}
