using System;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Router.Tests.Boards
{
    /// <summary>
    /// The Meadow board is compiled by `dotnet test Router.sln` against reference assemblies of the Meadow SDK signatures
    /// it uses (docs/meadow.md): the solution must hold the board and every reference project, and every signature file
    /// must say where it came from.
    /// </summary>
    public class MeadowCompileTests
    {
        [Fact]
        public void TheSolutionBuildsTheMeadowBoardAgainstEveryExtractedAssembly()
        {
            string root = RepositoryRoot();
            string solution = File.ReadAllText(Path.Combine(root, "Router.sln"));
            Assert.Contains(@"boards\meadow\MeadowF7W5500\Router.MeadowF7W5500.csproj", solution);
            string board = File.ReadAllText(Path.Combine(root, "boards", "meadow", "MeadowF7W5500", "Router.MeadowF7W5500.csproj"));
            string[] apis = Directory.GetFiles(Path.Combine(root, "tools", "MeadowCompile", "Refs"), "*.api", SearchOption.AllDirectories);
            Assert.Equal(4, apis.Length); // Meadow.Units, Meadow.Contracts, Meadow, Meadow.F7
            foreach (string api in apis)
            {
                string name = Path.GetFileNameWithoutExtension(api);
                Assert.Contains(@"tools\MeadowCompile\Refs\" + name + @"\" + name + ".csproj", solution);
                Assert.Contains("tools/MeadowCompile/Refs/" + name + "/" + name + ".csproj", board);
                Assert.Matches(new Regex(@"^// source: github:WildernessLabs/[\w.]+ @ [0-9a-f]{40}$", RegexOptions.Multiline), File.ReadAllText(api));
            }
        }

        private static string RepositoryRoot()
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "Router.sln"))) dir = Path.GetDirectoryName(dir);
            Assert.True(dir != null, "Router.sln not found above " + AppContext.BaseDirectory);
            return dir;
        }
    }
}
