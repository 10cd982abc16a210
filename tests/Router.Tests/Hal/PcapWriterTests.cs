using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Router.Hal.Desktop;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Hal
{
    public class PcapWriterTests : IDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-pcap-" + Guid.NewGuid().ToString("N"));

        public PcapWriterTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        /// <summary>Sends f1 (A->B, t=1500 ms), receives f2 (B->A, t=2750 ms), sends f3 (t=2750), through a PcapWriter on wire end A.</summary>
        private string Capture(out byte[][] frames)
        {
            string path = Path.Combine(_dir, "capture.pcap");
            var wire = VirtualWire.Create(1518, 8, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
            var clock = new ManualClock(1500);
            frames = new[]
            {
                HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 60, 1),
                HalTestFrames.Make(wire.A.MacAddress, wire.B.MacAddress, 1514, 2),
                HalTestFrames.Make(HalTestFrames.Broadcast, wire.A.MacAddress, 342, 3),
            };
            var buffer = new byte[2000];
            using (var pcap = new PcapWriter(wire.A, path, clock))
            {
                Assert.True(pcap.Send(frames[0], 0, frames[0].Length));
                clock.Advance(1250);
                Assert.True(wire.B.Send(frames[1], 0, frames[1].Length));
                Assert.Equal(1514, pcap.Receive(buffer, 0, buffer.Length));
                Assert.Equal(0, pcap.Receive(buffer, 0, buffer.Length)); // nothing waiting: nothing recorded
                Assert.True(pcap.Send(frames[2], 0, frames[2].Length));
                wire.IsLinkUp = false;
                Assert.False(pcap.Send(frames[2], 0, frames[2].Length)); // not sent: not recorded
                Assert.Equal(3, pcap.FramesWritten);
            }
            return path;
        }

        [Fact]
        public void FileParsesBackWithHeaderRecordsAndFrameBytes()
        {
            string path = Capture(out byte[][] frames);
            byte[] file = File.ReadAllBytes(path);

            Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(0)));
            Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)));
            Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)));
            Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8)));
            Assert.Equal(65535u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20))); // LINKTYPE_ETHERNET

            var expectedTimes = new (uint Sec, uint Usec)[] { (1, 500_000), (2, 750_000), (2, 750_000) };
            int pos = 24;
            for (int i = 0; i < frames.Length; i++)
            {
                uint sec = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos));
                uint usec = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4));
                int inclLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8));
                int origLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 12));
                Assert.Equal(expectedTimes[i], (sec, usec));
                Assert.Equal(frames[i].Length, inclLen);
                Assert.Equal(frames[i].Length, origLen);
                Assert.Equal(frames[i], file.AsSpan(pos + 16, inclLen).ToArray());
                pos += 16 + inclLen;
            }
            Assert.Equal(file.Length, pos);
        }

        [Fact]
        public void SnapLengthTruncatesCapturedBytesButKeepsOriginalLength()
        {
            var wire = VirtualWire.Create(1518, 8, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
            var stream = new MemoryStream();
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 200);
            using (var pcap = new PcapWriter(wire.A, stream, new ManualClock(), snapLength: 64, leaveOpen: true))
            {
                pcap.Send(frame, 0, frame.Length);
            }
            byte[] file = stream.ToArray();
            Assert.Equal(24 + 16 + 64, file.Length);
            Assert.Equal(64u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24 + 8)));
            Assert.Equal(200u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24 + 12)));
        }

        [Fact]
        public void RecordingAllocatesNothingPerFrame()
        {
            string path = Path.Combine(_dir, "bulk.pcap");
            var wire = VirtualWire.Create(1518, 8, HalTestFrames.Mac(1), HalTestFrames.Mac(2));
            byte[] frame = HalTestFrames.Make(wire.B.MacAddress, wire.A.MacAddress, 1514);
            var buffer = new byte[1518];
            using var pcap = new PcapWriter(wire.A, path, new ManualClock());

            void Pump(int count)
            {
                for (int i = 0; i < count; i++)
                {
                    pcap.Send(frame, 0, frame.Length);
                    wire.B.Receive(buffer, 0, buffer.Length);
                    wire.B.Send(frame, 0, 60);
                    pcap.Receive(buffer, 0, buffer.Length);
                }
            }

            Pump(1_000);
            // The least of three rounds: a one-off runtime allocation on this thread (seen once under a loaded full run)
            // is not the writer's; a per-frame allocation shows in every round.
            long least = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Pump(20_000);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
            Assert.Equal(122_000, pcap.FramesWritten);
        }

        [Fact]
        public void TsharkReadsTheCaptureWhenInstalled()
        {
            string tshark = FindOnPath("tshark");
            if (tshark == null)
            {
                _output.WriteLine("tshark not installed; skipped the tshark read (the parse-back test still ran).");
                return;
            }
            string path = Capture(out byte[][] frames);
            var psi = new ProcessStartInfo(tshark)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "-r", path, "-T", "fields", "-e", "frame.len", "-e", "eth.src" }) psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi);
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "tshark timed out");
            Assert.True(process.ExitCode == 0, "tshark failed: " + stderr);

            var lines = new List<string>();
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) lines.Add(line);
            Assert.Equal(frames.Length, lines.Count);
            Assert.StartsWith("60\t02:00:00:00:00:01", lines[0]);
            Assert.StartsWith("1514\t02:00:00:00:00:02", lines[1]);
            Assert.StartsWith("342\t02:00:00:00:00:01", lines[2]);
        }

        private static string FindOnPath(string name)
        {
            string pathVar = Environment.GetEnvironmentVariable("PATH") ?? "";
            foreach (string dir in pathVar.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
                if (File.Exists(candidate + ".exe")) return candidate + ".exe";
            }
            return null;
        }
    }
}
