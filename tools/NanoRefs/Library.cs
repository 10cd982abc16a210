using System;
using System.Collections.Generic;
using System.IO;

namespace NanoRefs
{
    /// <summary>One line of libraries.txt: assembly name, repository, its project file, the assemblies it references.</summary>
    public sealed class Library
    {
        public string Assembly { get; private set; }
        public string Repository { get; private set; }
        public string ProjectFile { get; private set; }
        public IReadOnlyList<string> Dependencies { get; private set; }

        public static IEnumerable<Library> Load(string path)
        {
            foreach (string raw in File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                string[] f = line.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 3) throw new FormatException(path + ": " + raw);
                yield return new Library
                {
                    Assembly = f[0],
                    Repository = f[1],
                    ProjectFile = f[2],
                    Dependencies = f[3..],
                };
            }
        }
    }
}
