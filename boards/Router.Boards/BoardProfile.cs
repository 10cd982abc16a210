namespace Router.Boards
{
    /// <summary>A board the router runs on: its name, the capacities of every data-plane table, and its config flash.</summary>
    public sealed class BoardProfile
    {
        public readonly string Name;
        public readonly string Description;
        public readonly Capacities Capacities;
        /// <summary>Erase-sector size of the flash region that holds the configuration.</summary>
        public readonly int FlashSectorSize;
        /// <summary>Sectors set aside for the configuration (two slots).</summary>
        public readonly int ConfigSectors;

        public BoardProfile(string name, string description, Capacities capacities, int flashSectorSize, int configSectors)
        {
            Name = name;
            Description = description;
            Capacities = capacities;
            FlashSectorSize = flashSectorSize;
            ConfigSectors = configSectors;
        }
    }
}
