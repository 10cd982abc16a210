using System;
using System.Device.Gpio;
using System.Net.NetworkInformation;
using Router.Boards;
using Router.Device.Hal;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Web;

namespace Router.Device
{
    /// <summary>
    /// A <see cref="RouterBoard"/> over nanoFramework's APIs: the two W5500s from the profile's <see cref="W5500Wiring"/>
    /// (System.Device.Spi / Gpio), the flash image file, the system tick and Random, and Power.RebootDevice.
    /// </summary>
    public static class NanoBoard
    {
        /// <summary>Opens the devices and boots. <paramref name="flashPath"/> is the flash image on the board's storage drive.</summary>
        public static RouterBoard Create(BoardProfile profile, string flashPath)
        {
            W5500Wiring pins = profile.Wiring;
            if (pins == null) throw new System.ArgumentException("Board profile " + profile.Name + " has no W5500 wiring.");
            IClock clock = new NanoClock();
            GpioController gpio = new GpioController();
            byte[] factory = FactoryMac();
            W5500Driver lan = Create(pins.SpiBus, pins.LanChipSelect, pins.LanInterrupt, pins.LanReset, pins.ClockHz, gpio, clock, RouterBoard.PortMac(factory, 1));
            W5500Driver wan = Create(pins.SpiBus, pins.WanChipSelect, pins.WanInterrupt, pins.WanReset, pins.ClockHz, gpio, clock, RouterBoard.PortMac(factory, 2));
            IFlash flash = new FileNorFlash(flashPath, profile.FlashSectorSize, RouterBoard.FlashSectors(profile));
            return new RouterBoard(profile, lan, wan, flash, clock, new NanoRandomSource(), WebFiles(), new NanoReboot());
        }

        /// <summary>The web UI's compressed files, read from the application image's resources (WebAssets.resx) in slices.</summary>
        private static IAssetSource WebFiles()
        {
            Enum[] ids = new Enum[WebAssetBundle.AssetCount];
            int[] lengths = new int[WebAssetBundle.AssetCount];
            ids[WebAssetBundle.AppCssAsset] = WebAssets.BinaryResources.AppCss;
            lengths[WebAssetBundle.AppCssAsset] = WebAssetBundle.AppCssGzipLength;
            ids[WebAssetBundle.AppJsAsset] = WebAssets.BinaryResources.AppJs;
            lengths[WebAssetBundle.AppJsAsset] = WebAssetBundle.AppJsGzipLength;
            ids[WebAssetBundle.IndexHtmlAsset] = WebAssets.BinaryResources.IndexHtml;
            lengths[WebAssetBundle.IndexHtmlAsset] = WebAssetBundle.IndexHtmlGzipLength;
            return new ResourceAssetSource(WebAssets.ResourceManager, ids, lengths);
        }

        private static W5500Driver Create(int bus, int chipSelect, int interrupt, int reset, int clockHz, GpioController gpio, IClock clock, byte[] mac)
        {
            return new W5500Driver(new NanoSpiDevice(bus, chipSelect, clockHz), new NanoOutputPin(gpio, reset), new NanoInputPin(gpio, interrupt), clock, mac);
        }

        /// <summary>The first network interface nanoFramework reports (the board's own MAC), or null.</summary>
        private static byte[] FactoryMac()
        {
            NetworkInterface[] nics = NetworkInterface.GetAllNetworkInterfaces();
            return nics.Length > 0 ? nics[0].PhysicalAddress : null;
        }

        private sealed class NanoReboot : IDeviceReboot
        {
            public void Reboot() { nanoFramework.Runtime.Native.Power.RebootDevice(); }
        }
    }
}
