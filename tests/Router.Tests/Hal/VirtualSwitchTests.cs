using System;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class VirtualSwitchTests
    {
        private readonly VirtualSwitch _switch = new VirtualSwitch(maxFrameBytes: 1518, queueDepth: 8);
        private readonly VirtualPort _router, _host1, _host2;
        private readonly byte[] _buffer = new byte[2000];

        public VirtualSwitchTests()
        {
            _router = _switch.AddPort(HalTestFrames.Mac(1));
            _host1 = _switch.AddPort(HalTestFrames.Mac(2));
            _host2 = _switch.AddPort(HalTestFrames.Mac(3));
        }

        [Fact]
        public void BroadcastIsFloodedToEveryOtherPort()
        {
            byte[] frame = HalTestFrames.Make(HalTestFrames.Broadcast, _host1.MacAddress, 60);
            Assert.True(_host1.Send(frame, 0, frame.Length));

            Assert.Equal(60, _router.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(frame, _buffer.AsSpan(0, 60).ToArray());
            Assert.Equal(60, _host2.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, _host1.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(1, _switch.FloodedFrames);
        }

        [Fact]
        public void UnknownUnicastIsFloodedThenLearnedAddressesAreForwardedToOnePort()
        {
            // host1 -> router before the router has spoken: unknown destination, flooded.
            byte[] toRouter = HalTestFrames.Make(_router.MacAddress, _host1.MacAddress, 70);
            Assert.True(_host1.Send(toRouter, 0, toRouter.Length));
            Assert.Equal(70, _router.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(70, _host2.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(1, _switch.LookupPort(_host1.MacAddress));
            Assert.Equal(-1, _switch.LookupPort(_router.MacAddress));

            // router -> host1: host1 was learned on port 1, so only host1 gets it.
            byte[] reply = HalTestFrames.Make(_host1.MacAddress, _router.MacAddress, 80);
            Assert.True(_router.Send(reply, 0, reply.Length));
            Assert.Equal(80, _host1.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, _host2.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, _router.Receive(_buffer, 0, _buffer.Length));
            Assert.Equal(0, _switch.LookupPort(_router.MacAddress));
            Assert.Equal(1, _switch.ForwardedFrames);
            Assert.Equal(1, _switch.FloodedFrames);
        }

        [Fact]
        public void StationMovingToAnotherPortIsRelearned()
        {
            byte[] fromRouter = HalTestFrames.Make(HalTestFrames.Broadcast, _router.MacAddress, 60);
            _router.Send(fromRouter, 0, fromRouter.Length);
            // A frame claiming host1's MAC now comes from port 2.
            byte[] spoof = HalTestFrames.Make(_router.MacAddress, _host1.MacAddress, 60);
            _host2.Send(spoof, 0, spoof.Length);
            Assert.Equal(2, _switch.LookupPort(_host1.MacAddress));
        }

        [Fact]
        public void FullEgressQueueFailsKnownUnicastSend()
        {
            byte[] learn = HalTestFrames.Make(HalTestFrames.Broadcast, _host2.MacAddress, 60);
            _host2.Send(learn, 0, learn.Length);
            while (_router.Receive(_buffer, 0, _buffer.Length) > 0) { }

            byte[] frame = HalTestFrames.Make(_host2.MacAddress, _host1.MacAddress, 60);
            for (int i = 0; i < 8; i++) Assert.True(_host1.Send(frame, 0, frame.Length));
            Assert.False(_host1.Send(frame, 0, frame.Length));
            Assert.Equal(1, _switch.EgressDrops);
        }

        [Fact]
        public void ForwardingAllocatesNothing()
        {
            byte[] learn1 = HalTestFrames.Make(HalTestFrames.Broadcast, _host1.MacAddress, 60);
            byte[] learn2 = HalTestFrames.Make(HalTestFrames.Broadcast, _router.MacAddress, 60);
            _host1.Send(learn1, 0, 60);
            _router.Send(learn2, 0, 60);
            Drain();
            byte[] unicast = HalTestFrames.Make(_router.MacAddress, _host1.MacAddress, 1000);
            byte[] broadcast = HalTestFrames.Make(HalTestFrames.Broadcast, _router.MacAddress, 300);

            Run(unicast, broadcast, 10_000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(unicast, broadcast, 100_000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        private void Run(byte[] unicast, byte[] broadcast, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (!_host1.Send(unicast, 0, unicast.Length)) throw new InvalidOperationException();
                if (!_router.Send(broadcast, 0, broadcast.Length)) throw new InvalidOperationException();
                Drain();
            }
        }

        private void Drain()
        {
            while (_router.Receive(_buffer, 0, _buffer.Length) > 0) { }
            while (_host1.Receive(_buffer, 0, _buffer.Length) > 0) { }
            while (_host2.Receive(_buffer, 0, _buffer.Length) > 0) { }
        }
    }
}
