using System.Linq;
using Router.Dhcp;
using Router.Storage;
using Router.Hal.Desktop;
using Router.Tests.Support;
using Xunit;
using static Router.Tests.Dhcp.DhcpPackets;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Dhcp;

public class DhcpLeaseStoreTests
{
    private static readonly byte[] A = Frames.Mac(0xA1), B = Frames.Mac(0xB2), C = Frames.Mac(0xC3);
    private const int FirstSector = 4;

    private static DhcpRig Boot(MemoryFlash flash, TestClock clock = null)
    {
        var rig = new DhcpRig(new Capacities { DhcpLeases = 16 }, clock: clock);
        rig.Firmware.StoreLeases(flash, FirstSector);
        return rig;
    }

    [Fact]
    public void LeasesSurviveARestart()
    {
        var flash = new MemoryFlash(4096, 8);
        var rig = Boot(flash);
        uint a = rig.Lease(A, 1);
        uint b = rig.Lease(B, 2);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.LeaseStoreWrites]);

        // Restart: a new firmware on the same flash, with a clock that starts again near zero.
        var again = Boot(flash);
        Assert.Equal(2, again.Server.Leases.Count(DhcpLeaseTable.Bound));
        again.ClientSends(C, Request(DhcpMessageType.Discover, C, 3));
        Assert.Equal(Frames.Ip("192.168.1.102"), Parse(again.Lan.TakeOne()).YourAddress);
        again.ClientSends(C, Request(DhcpMessageType.Request, C, 4, 0, 0, Addr(DhcpOption.RequestedAddress, a)));
        Assert.Equal(DhcpMessageType.Nak, Parse(again.Lan.TakeOne()).MessageType);
        // A renews its address as if nothing happened.
        again.ClientSends(A, Request(DhcpMessageType.Request, A, 5, a), a, RouterLan);
        Assert.Equal(DhcpMessageType.Ack, Parse(again.Lan.TakeOne()).MessageType);
        Assert.Equal(b, again.Lease(B, 6));
    }

    [Fact]
    public void ARenewalThatChangesNothingNeverWritesTheFlash()
    {
        var flash = new MemoryFlash(4096, 8);
        var rig = Boot(flash);
        uint a = rig.Lease(A, 1);
        rig.Firmware.RunUntilIdle();
        long erases = flash.EraseCount, programs = flash.ProgramCount;
        Assert.Equal(1, erases);
        Assert.Equal(2, programs); // records, then the header

        for (int i = 0; i < 5; i++)
        {
            rig.Clock.Advance(3600 * 1000L);
            rig.ClientSends(A, Request(DhcpMessageType.Request, A, (uint)(10 + i), a), a, RouterLan);
            Assert.Equal(DhcpMessageType.Ack, Parse(rig.Lan.TakeOne()).MessageType);
            rig.ClientSends(A, Request(DhcpMessageType.Discover, A, (uint)(20 + i))); // a bound client asking again
            rig.Lan.Sent.Clear();
            rig.Firmware.RunUntilIdle();
        }
        Assert.Equal(erases, flash.EraseCount);
        Assert.Equal(programs, flash.ProgramCount);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.LeaseStoreWrites]);
    }

    [Fact]
    public void ChangesAreBatchedToOneWritePerInterval()
    {
        var flash = new MemoryFlash(4096, 8);
        var rig = Boot(flash);
        rig.Lease(A, 1);
        rig.Firmware.RunUntilIdle();                 // first change after a quiet period: written at once
        rig.Lease(B, 2);
        rig.Firmware.RunUntilIdle();
        rig.Lease(C, 3);
        rig.Clock.Advance(60 * 1000L);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(1, flash.EraseCount);       // B and C wait for the interval
        rig.Clock.Advance(61 * 1000L);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(2, flash.EraseCount);       // ... and go out together
        rig.Clock.Advance(600 * 1000L);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(2, flash.EraseCount);       // nothing dirty, nothing written
        Assert.Equal(1, flash.GetSectorEraseCount(FirstSector));
        Assert.Equal(1, flash.GetSectorEraseCount(FirstSector + 1));

        var again = Boot(flash);
        Assert.Equal(3, again.Server.Leases.Count(DhcpLeaseTable.Bound));
    }

    [Fact]
    public void ATornWriteFallsBackToThePreviousSnapshot()
    {
        var flash = new MemoryFlash(4096, 8);
        var store = new FlashLeaseStore(flash, FirstSector, 16);
        var table = new DhcpLeaseTable(16);
        table.Set(table.Claim(0), DhcpLeaseTable.Bound, A, 0, Frames.Ip("192.168.1.100"), 100);
        Assert.True(store.Save(table));                           // sequence 1, slot 1
        table.Set(table.Claim(0), DhcpLeaseTable.Released, B, 0, Frames.Ip("192.168.1.101"), 0);
        Assert.True(store.Save(table));                           // sequence 2, slot 0

        // Power lost after the records of sequence 3 but before its header: slot 1 erased, no valid header.
        flash.EraseSector(FirstSector + 1);
        var restored = new DhcpLeaseTable(16);
        Assert.True(new FlashLeaseStore(flash, FirstSector, 16).Load(restored, 5000));
        Assert.Equal(1, restored.Count(DhcpLeaseTable.Bound));
        Assert.Equal(1, restored.Count(DhcpLeaseTable.Released));
        int a = restored.FindByMac(A, 0);
        Assert.Equal(Frames.Ip("192.168.1.100"), restored.Address(a));
        Assert.Equal(5000u, restored.Expires(a));
        Assert.False(restored.Dirty);

    }

    [Fact]
    public void ACorruptNewestSnapshotFallsBackToTheOlderOne()
    {
        var flash = new MemoryFlash(4096, 8);
        var store = new FlashLeaseStore(flash, FirstSector, 16);
        var table = new DhcpLeaseTable(16);
        table.Set(table.Claim(0), DhcpLeaseTable.Bound, A, 0, Frames.Ip("192.168.1.100"), 100);
        store.Save(table);                                        // sequence 1, slot 1: A
        table.Set(table.Claim(0), DhcpLeaseTable.Bound, B, 0, Frames.Ip("192.168.1.101"), 100);
        store.Save(table);                                        // sequence 2, slot 0: A and B

        byte[] image = flash.Image.ToArray();
        image[FirstSector * 4096 + FlashLeaseStore.HeaderLength + 7] ^= 0x01; // one bit of the newest slot's first record
        var restored = new DhcpLeaseTable(16);
        Assert.True(new FlashLeaseStore(new MemoryFlash(4096, 8, image), FirstSector, 16).Load(restored, 50));
        Assert.Equal(1, restored.Count(DhcpLeaseTable.Bound));
        Assert.NotEqual(DhcpLeaseTable.NotFound, restored.FindByMac(A, 0));

        Assert.False(new FlashLeaseStore(new MemoryFlash(4096, 8), FirstSector, 16).Load(new DhcpLeaseTable(16), 0)); // blank flash
    }

    [Fact]
    public void TheStoreChecksItsSnapshotByteForByte()
    {
        var flash = new MemoryFlash(4096, 8);
        var store = new FlashLeaseStore(flash, FirstSector, 4);
        var table = new DhcpLeaseTable(4);
        table.Set(table.Claim(0), DhcpLeaseTable.Bound, A, 0, Frames.Ip("192.168.1.100"), 100);
        store.Save(table);
        byte[] slot = flash.Image.Slice((FirstSector + 1) * 4096, 28).ToArray();
        byte[] expectedHeader = { 0x44, 0x48, 0x4C, 0x31, 0, 0, 0, 1, 0, 1, 0, 12 };
        Assert.Equal(expectedHeader, slot[..12]);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0xA1, 192, 168, 1, 100, DhcpLeaseTable.Bound, 0 }, slot[16..28]);
        // CRC-32 of bytes 4..12 and the record, computed here independently.
        uint crc = 0xFFFFFFFF;
        foreach (byte x in slot[4..12].Concat(slot[16..28]))
        {
            crc ^= x;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        crc = ~crc;
        Assert.Equal(crc, global::Router.Wire.NetworkOrder.ReadUInt32(slot, 12));
        Assert.Equal(0xCBF43926u, Crc32.Compute(System.Text.Encoding.ASCII.GetBytes("123456789"), 0, 9)); // the standard check value
    }

    private sealed class FailingFlash : Router.Hal.IFlash
    {
        public readonly MemoryFlash Inner = new MemoryFlash(4096, 8);
        public bool Broken;
        public int SectorSize => Inner.SectorSize;
        public int SectorCount => Inner.SectorCount;
        public void EraseSector(int sector) { if (Broken) throw new System.IO.IOException("erase failed"); Inner.EraseSector(sector); }
        public void Program(int address, byte[] data, int offset, int count) => Inner.Program(address, data, offset, count);
        public void Read(int address, byte[] buffer, int offset, int count) => Inner.Read(address, buffer, offset, count);
    }

    [Fact]
    public void AFailingFlashIsCountedAndRetriedWhileTheServerKeepsServing()
    {
        var flash = new FailingFlash { Broken = true };
        var rig = new DhcpRig(new Capacities { DhcpLeases = 16 });
        rig.Firmware.StoreLeases(flash, FirstSector);
        rig.Lease(A, 1);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.LeaseStoreFailures]);
        Assert.True(rig.Server.Leases.Dirty);
        Assert.Equal(Frames.Ip("192.168.1.101"), rig.Lease(B, 2));

        flash.Broken = false;
        rig.Clock.Advance(121 * 1000L);
        rig.Firmware.RunUntilIdle();
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.LeaseStoreWrites]);
        var table = new DhcpLeaseTable(16);
        Assert.True(new FlashLeaseStore(flash.Inner, FirstSector, 16).Load(table, 1));
        Assert.Equal(2, table.Count(DhcpLeaseTable.Bound));
    }
}
