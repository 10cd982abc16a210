using System.IO;
using Router.Boards;
using Router.Device;

namespace Router.Stm32F769W5500
{
    /// <summary>
    /// STM32F769I-DISCO + two W5500s on the Arduino header's SPI2. The image fixes SPI2's pins (PA12/PB15/PB14), so
    /// there is nothing to route; docs/boards.md has the wiring.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            // D: is the microSD slot of nanoFramework's ST_STM32F769I_DISCOVERY image (HAL_USE_SDC); mount it now rather
            // than wait for the card-detect event (docs/boards.md).
            DriveInfo.MountRemovableVolumes();
            NanoBoard.Create(BoardProfiles.Stm32F7Discovery(), "D:\\router.flash").Run();
        }
    }
}
