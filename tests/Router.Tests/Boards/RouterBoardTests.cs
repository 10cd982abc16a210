using System;
using System.IO;
using Router.Boards;
using Router.Device;
using Router.Device.Hal;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Hal.Desktop.Chips;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Boards
{
    /// <summary>
    /// RouterBoard, the boot + loop the nanoFramework boards (NanoBoard) and the Meadow board share, over two W5500 chip
    /// models and the board flash on a real file: both chips up, booted from a blank image, answering on the LAN port;
    /// a chip that does not answer stops the boot with the driver's message.
    /// </summary>
    public sealed class RouterBoardTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-board-" + Guid.NewGuid().ToString("N"));
        private readonly ManualClock _clock = new ManualClock(1_000_000);
        private readonly VirtualWire _lanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, 64, Frames.Mac(0x70), Frames.Mac(0x02));
        private readonly VirtualWire _wanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, 64, Frames.Mac(0x71), Frames.Mac(0x01));

        public RouterBoardTests() { Directory.CreateDirectory(_dir); }

        public void Dispose() { Directory.Delete(_dir, true); }

        private sealed class CountingReboot : IDeviceReboot
        {
            public int Count;
            public void Reboot() { Count++; }
        }

        private RouterBoard Boot(W5500Model lanChip, W5500Model wanChip)
        {
            BoardProfile profile = BoardProfiles.MeadowF7v2();
            var lan = new W5500Driver(lanChip, lanChip.ResetPin, lanChip.InterruptPin, _clock, RouterBoard.PortMac(null, 1));
            var wan = new W5500Driver(wanChip, wanChip.ResetPin, wanChip.InterruptPin, _clock, RouterBoard.PortMac(null, 2));
            var flash = new FileNorFlash(Path.Combine(_dir, "router.flash"), profile.FlashSectorSize, RouterBoard.FlashSectors(profile));
            return new RouterBoard(profile, lan, wan, flash, _clock, new SeededRandom(1), new EmbeddedAssetSource(typeof(Router.Web.WebUi).Assembly, Router.Web.WebAssetBundle.ResourcePrefix), new CountingReboot());
        }

        [Fact]
        public void BootsBothChipsFromABlankImageAndAnswersOnTheLan()
        {
            RouterBoard board = Boot(new W5500Model(_lanWire.A), new W5500Model(_wanWire.A));
            Assert.True(board.Lan.IsRunning);
            Assert.True(board.Wan.IsRunning);
            Assert.Equal(RouterBoard.FlashSectors(board.Profile) * board.Profile.FlashSectorSize, new FileInfo(Path.Combine(_dir, "router.flash")).Length);

            // A LAN host asks for the router's address (192.168.1.1, factory settings): the reply leaves through W5500 #1.
            byte[] hostMac = Frames.Mac(0x02);
            byte[] request = Frames.Arp(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, hostMac, ArpPacket.OperationRequest, hostMac,
                Ipv4Address.Make(192, 168, 1, 2), new byte[6], Ipv4Address.Make(192, 168, 1, 1));
            Assert.True(_lanWire.B.Send(request, 0, request.Length));
            for (int i = 0; i < 10; i++) board.Firmware.RunOnce();
            var reply = new byte[2048];
            Assert.Equal(ReceiveResult.Frame, _lanWire.B.Receive(reply, 0, reply.Length, out int length));
            Assert.Equal(ArpPacket.OperationReply, ArpPacket.Operation(reply, 14));
            Assert.Equal(RouterBoard.PortMac(null, 1), reply.AsSpan(6, 6).ToArray());
            Assert.True(length >= 42);
        }

        [Fact]
        public void AWanChipThatDoesNotAnswerStopsTheBootWithTheDriversMessage()
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                Boot(new W5500Model(_lanWire.A), new W5500Model(_wanWire.A) { Absent = AbsentChip.MisoHigh }));
            Assert.StartsWith("WAN (W5500 #2): No W5500 answers: VERSIONR reads 0xFF", e.Message);
        }

        [Fact]
        public void PortMacsAreLocallyAdministeredUnicastAndDifferPerPort()
        {
            byte[] factory = { 0x01, 0x22, 0x33, 0x44, 0x55, 0x66 };
            byte[] lan = RouterBoard.PortMac(factory, 1), wan = RouterBoard.PortMac(factory, 2);
            Assert.Equal(new byte[] { 0x02, 0x22, 0x33, 0x44, 0x55, 0x67 }, lan);
            Assert.Equal(0x68, wan[5]);
            Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0, 0x01 }, RouterBoard.PortMac(null, 1));
        }
    }
}
