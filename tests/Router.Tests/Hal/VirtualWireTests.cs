using System;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class VirtualWireTests
    {
        private static VirtualWire NewWire(int depth = 4) =>
            VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, depth, HalTestFrames.Mac(1), HalTestFrames.Mac(2));

        [Fact]
        public void FrameSentOnOneEndArrivesIntactOnTheOther()
        {
            var wire = NewWire();
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 60, seed: 7);
            var buffer = new byte[2000];

            Assert.True(wire.A.Send(frame, 0, frame.Length));
            Assert.Equal(0, wire.A.Receive(buffer, 0, buffer.Length)); // nothing loops back
            int n = wire.B.Receive(buffer, 10, 1500);

            Assert.Equal(60, n);
            Assert.Equal(frame, buffer.AsSpan(10, n).ToArray());
            Assert.Equal(0, wire.B.Receive(buffer, 0, buffer.Length));
            Assert.Equal(1, wire.A.FramesSent);
            Assert.Equal(1, wire.B.FramesReceived);
        }

        [Fact]
        public void BothDirectionsAreIndependentAndFifo()
        {
            var wire = NewWire();
            var buffer = new byte[2000];
            for (byte i = 0; i < 3; i++)
            {
                Assert.True(wire.A.Send(HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 60 + i, i), 0, 60 + i));
                Assert.True(wire.B.Send(HalTestFrames.Make(wire.A.MacAddress, wire.B.MacAddress, 100 + i, i), 0, 100 + i));
            }
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(60 + i, wire.B.Receive(buffer, 0, buffer.Length));
                Assert.Equal(100 + i, wire.A.Receive(buffer, 0, buffer.Length));
            }
        }

        [Fact]
        public void FullQueueMakesSendReturnFalseAndCountsTheDrop()
        {
            var wire = NewWire(depth: 4);
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 64);
            for (int i = 0; i < 4; i++) Assert.True(wire.A.Send(frame, 0, frame.Length));

            Assert.False(wire.A.Send(frame, 0, frame.Length));
            Assert.False(wire.A.Send(frame, 0, frame.Length));

            Assert.Equal(2, wire.B.ReceiveDropsQueueFull);
            Assert.Equal(2, wire.A.SendDropsRefused);
            Assert.Equal(4, wire.A.FramesSent);
            Assert.Equal(4, wire.B.PendingFrames);

            var buffer = new byte[2000];
            Assert.Equal(64, wire.B.Receive(buffer, 0, buffer.Length));
            Assert.True(wire.A.Send(frame, 0, frame.Length)); // room again
        }

        [Fact]
        public void LinkDownRefusesSendsUntilReplugged()
        {
            var wire = NewWire();
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 64);
            wire.IsLinkUp = false;

            Assert.False(wire.A.IsLinkUp);
            Assert.False(wire.B.IsLinkUp);
            Assert.False(wire.A.Send(frame, 0, frame.Length));
            Assert.Equal(1, wire.A.SendDropsLinkDown);

            wire.IsLinkUp = true;
            Assert.True(wire.A.Send(frame, 0, frame.Length));
        }

        [Fact]
        public void OversizedFramesAreRefusedAndTooSmallReceiveBufferDiscards()
        {
            var wire = VirtualWire.Create(100, 4, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
            var big = new byte[101];
            Assert.False(wire.A.Send(big, 0, big.Length));
            Assert.Equal(1, wire.A.SendDropsTooLong);

            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 80);
            byte[] next = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 40);
            Assert.True(wire.A.Send(frame, 0, frame.Length));
            Assert.True(wire.A.Send(next, 0, next.Length));
            var buffer = new byte[100];
            Assert.Equal(0, wire.B.Receive(buffer, 0, 50)); // 80 > 50: discarded per the INetworkInterface contract
            Assert.Equal(1, wire.B.ReceiveDropsTooLong);
            Assert.Equal(40, wire.B.Receive(buffer, 0, 50));
        }

        [Fact]
        public void SendAndReceiveAllocateNothing()
        {
            var wire = NewWire(depth: 8);
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 1514);
            var buffer = new byte[1518];

            Pump(wire, frame, buffer, 10_000); // warm up (JIT, tiering)
            long before = GC.GetAllocatedBytesForCurrentThread();
            long received = Pump(wire, frame, buffer, 100_000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(200_000, received);
            Assert.Equal(0, allocated);
        }

        private static long Pump(VirtualWire wire, byte[] frame, byte[] buffer, int count)
        {
            long received = 0;
            for (int i = 0; i < count; i++)
            {
                if (!wire.A.Send(frame, 0, frame.Length)) throw new InvalidOperationException("send A");
                if (!wire.B.Send(frame, 0, 60)) throw new InvalidOperationException("send B");
                if (wire.B.Receive(buffer, 0, buffer.Length) == 1514) received++;
                if (wire.A.Receive(buffer, 0, buffer.Length) == 60) received++;
            }
            return received;
        }
    }
}
