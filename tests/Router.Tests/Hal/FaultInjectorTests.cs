using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class FaultInjectorTests
    {
        private readonly VirtualWire _wire = VirtualWire.Create(1518, 64, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
        private readonly byte[] _buffer = new byte[2000];

        private byte[] Numbered(int seq, int length = 64)
        {
            byte[] f = HalTestFrames.Make(_wire.B.MacAddress, _wire.A.MacAddress, length, (byte)seq);
            BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(14), seq);
            return f;
        }

        private List<int> DrainSequences(Router.Hal.INetworkInterface port)
        {
            var seqs = new List<int>();
            int n;
            while ((n = port.Receive(_buffer, 0, _buffer.Length)) > 0) seqs.Add(BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(14)));
            return seqs;
        }

        private FaultInjector OnSend(double drop = 0, double dup = 0, double reorder = 0, double corrupt = 0, int seed = 42) =>
            new FaultInjector(_wire.A, new FaultInjectorOptions
            {
                Seed = seed, DropProbability = drop, DuplicateProbability = dup, ReorderProbability = reorder,
                CorruptProbability = corrupt, Direction = FaultDirection.Send,
            });

        private FaultInjector OnReceive(double drop = 0, double dup = 0, double reorder = 0, double corrupt = 0, int seed = 42, int maxHoldPolls = 8) =>
            new FaultInjector(_wire.B, new FaultInjectorOptions
            {
                Seed = seed, DropProbability = drop, DuplicateProbability = dup, ReorderProbability = reorder,
                CorruptProbability = corrupt, Direction = FaultDirection.Receive, MaxHoldPolls = maxHoldPolls,
            });

        [Fact]
        public void NoFaultsConfiguredPassesEverythingThroughInOrder()
        {
            var fi = OnSend();
            for (int i = 0; i < 10; i++) Assert.True(fi.Send(Numbered(i), 0, 64));
            Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, DrainSequences(_wire.B));
            Assert.Equal(0, fi.TotalFaults);
        }

        [Fact]
        public void DropOnSendLosesFramesButReportsThemSent()
        {
            var fi = OnSend(drop: 1);
            for (int i = 0; i < 5; i++) Assert.True(fi.Send(Numbered(i), 0, 64));
            Assert.Empty(DrainSequences(_wire.B));
            Assert.Equal(5, fi.DroppedFrames);
        }

        [Fact]
        public void DuplicateOnSendDeliversEachFrameTwice()
        {
            var fi = OnSend(dup: 1);
            for (int i = 0; i < 3; i++) fi.Send(Numbered(i), 0, 64);
            Assert.Equal(new[] { 0, 0, 1, 1, 2, 2 }, DrainSequences(_wire.B));
            Assert.Equal(3, fi.DuplicatedFrames);
        }

        [Fact]
        public void ReorderOnSendSwapsEachHeldFrameWithTheNext()
        {
            var fi = OnSend(reorder: 1);
            for (int i = 0; i < 4; i++) fi.Send(Numbered(i), 0, 64);
            Assert.Equal(new[] { 1, 0, 3, 2 }, DrainSequences(_wire.B));
            Assert.Equal(2, fi.ReorderedFrames);
        }

        [Fact]
        public void CorruptOnSendChangesExactlyOneByteOfACopy()
        {
            var fi = OnSend(corrupt: 1);
            byte[] frame = Numbered(7, 200);
            byte[] original = (byte[])frame.Clone();
            fi.Send(frame, 0, frame.Length);

            Assert.Equal(original, frame); // caller's buffer untouched
            Assert.Equal(200, _wire.B.Receive(_buffer, 0, _buffer.Length));
            int differing = 0;
            for (int i = 0; i < 200; i++) if (_buffer[i] != original[i]) differing++;
            Assert.Equal(1, differing);
            Assert.Equal(1, fi.CorruptedFrames);
        }

        [Fact]
        public void ReceiveSideFaultsDropDuplicateAndReorder()
        {
            for (int i = 0; i < 4; i++) _wire.A.Send(Numbered(i), 0, 64);
            var dropper = OnReceive(drop: 1);
            Assert.Empty(DrainSequences(dropper));
            Assert.Equal(4, dropper.DroppedFrames);

            for (int i = 0; i < 3; i++) _wire.A.Send(Numbered(i), 0, 64);
            var duplicator = OnReceive(dup: 1);
            Assert.Equal(new[] { 0, 0, 1, 1, 2, 2 }, DrainSequences(duplicator));
            Assert.Equal(3, duplicator.DuplicatedFrames);

            for (int i = 0; i < 4; i++) _wire.A.Send(Numbered(i), 0, 64);
            var reorderer = OnReceive(reorder: 1);
            Assert.Equal(new[] { 1, 0, 3, 2 }, DrainSequences(reorderer));
            Assert.Equal(2, reorderer.ReorderedFrames);
        }

        [Fact]
        public void ReceiveSideCorruptionFlipsOneByte()
        {
            byte[] frame = Numbered(3, 300);
            _wire.A.Send(frame, 0, frame.Length);
            var fi = OnReceive(corrupt: 1);
            Assert.Equal(300, fi.Receive(_buffer, 0, _buffer.Length));
            int differing = 0;
            for (int i = 0; i < 300; i++) if (_buffer[i] != frame[i]) differing++;
            Assert.Equal(1, differing);
            Assert.Equal(1, fi.CorruptedFrames);
        }

        [Fact]
        public void LoneHeldFrameIsReleasedAfterMaxHoldPolls()
        {
            var fi = OnReceive(reorder: 1, maxHoldPolls: 3);
            _wire.A.Send(Numbered(9), 0, 64);
            Assert.Equal(0, fi.Receive(_buffer, 0, _buffer.Length)); // taken and held
            Assert.True(fi.IsHoldingFrame);
            Assert.Equal(0, fi.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, fi.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, fi.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(64, fi.Receive(_buffer, 0, _buffer.Length)); // 4th empty poll > 3: released
            Assert.Equal(9, BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(14)));
            Assert.False(fi.IsHoldingFrame);
        }

        [Fact]
        public void MixedFaultsWithFixedSeedAreDeterministicAndAccountedFor()
        {
            List<int> RunOnce(out FaultInjector fi)
            {
                var wire = VirtualWire.Create(1518, 64, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
                fi = new FaultInjector(wire.A, new FaultInjectorOptions
                {
                    Seed = 1234, DropProbability = 0.1, DuplicateProbability = 0.1, ReorderProbability = 0.1,
                    Direction = FaultDirection.Send,
                });
                var seqs = new List<int>();
                var buf = new byte[2000];
                for (int i = 0; i < 10_000; i++)
                {
                    byte[] f = new byte[64];
                    BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(14), i);
                    Assert.True(fi.Send(f, 0, f.Length));
                    while (wire.B.Receive(buf, 0, buf.Length) > 0) seqs.Add(BinaryPrimitives.ReadInt32BigEndian(buf.AsSpan(14)));
                }
                fi.ReleaseHeld();
                while (wire.B.Receive(buf, 0, buf.Length) > 0) seqs.Add(BinaryPrimitives.ReadInt32BigEndian(buf.AsSpan(14)));
                return seqs;
            }

            List<int> first = RunOnce(out FaultInjector a);
            List<int> second = RunOnce(out FaultInjector b);

            Assert.Equal(first, second);
            Assert.Equal((a.DroppedFrames, a.DuplicatedFrames, a.ReorderedFrames), (b.DroppedFrames, b.DuplicatedFrames, b.ReorderedFrames));
            Assert.Equal(10_000 - a.DroppedFrames + a.DuplicatedFrames, first.Count);
            Assert.InRange(a.DroppedFrames, 800, 1200);
            Assert.InRange(a.DuplicatedFrames, 600, 1100); // rolled only for frames that were neither dropped nor held
            Assert.InRange(a.ReorderedFrames, 600, 1100);

            // Every reordered frame comes out right after the frame that overtook it (one inversion each),
            // except a frame still held at the end, released by ReleaseHeld with nothing after it.
            int inversions = 0;
            for (int i = 1; i < first.Count; i++) if (first[i] < first[i - 1]) inversions++;
            Assert.InRange(inversions, a.ReorderedFrames - 1, a.ReorderedFrames);
        }

        [Fact]
        public void FaultyTrafficAllocatesNothing()
        {
            var tx = OnSend(drop: 0.1, dup: 0.1, reorder: 0.1, corrupt: 0.1);
            var rx = OnReceive(drop: 0.1, dup: 0.1, reorder: 0.1, corrupt: 0.1);
            byte[] frame = Numbered(1, 600);

            void Pump(int count)
            {
                for (int i = 0; i < count; i++)
                {
                    tx.Send(frame, 0, frame.Length);
                    while (rx.Receive(_buffer, 0, _buffer.Length) > 0) { }
                }
            }

            Pump(5_000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(100_000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(tx.TotalFaults > 0 && rx.TotalFaults > 0);
        }
    }
}
