using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Wire;

namespace Router.Emulator.Simulation;

/// <summary>
/// The in-memory emulator's way in for a desktop browser: a loopback listener whose every connection is relayed as a
/// TCP connection of a simulated LAN host (the bridge host, on its own switch port) to the router's LAN address,
/// port 80. So the browser exercises the firmware's own TCP and web server, as a LAN PC does on a board. Runs on the
/// emulator's loop thread, non-blocking: <see cref="Step"/> moves bytes between sockets and frames.
/// </summary>
public sealed class HttpBridge : IDisposable
{
    /// <summary>The bridge host's address within the LAN: .254 of the router's subnet (outside the default DHCP pool).</summary>
    public const uint HostPart = 254;
    public const int RouterPort = 80;

    private readonly INetworkInterface _nic;
    private readonly RouterSettings _settings;
    private readonly Socket _listener;
    private readonly List<Relay> _relays = new();
    private readonly byte[] _rx = new byte[2048];
    private readonly byte[] _socketBuffer = new byte[16384];
    private byte[] _routerMac;
    private uint _routerMacFor;
    private long _arpSentAt = -1;
    private int _nextPort = 49152;

    private sealed class Relay
    {
        public Socket Socket;
        public ScriptedClient Client;
        public bool DesktopClosed;
        public bool ShutDownSent;
        public int Forwarded;
        /// <summary>The simulated host this desktop connection speaks as (see <see cref="HostPartFor"/>).</summary>
        public uint HostPart;
    }

    /// <param name="rebind">Bind over the previous run's lingering connections (an in-process reboot); otherwise an
    /// address in use fails, so two emulators never share a port.</param>
    public HttpBridge(INetworkInterface nic, RouterSettings settings, string address, int port, bool rebind)
    {
        _nic = nic;
        _settings = settings;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        if (rebind) _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        _listener.Listen(64);
    }

    /// <summary>The port actually bound (useful after binding port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint).Port;
    public int OpenRelays => _relays.Count;

    /// <summary>The bridge host's address, following the router's LAN address (a changed LAN applies to new connections).</summary>
    public uint HostAddress => AddressOf(HostPart);

    /// <summary>Desktop clients at loopback addresses this many apart appear as as many LAN hosts.</summary>
    public const int DistinctClients = 8;

    /// <summary>
    /// Which LAN host a desktop connection speaks as: one from 127.0.0.N (N = 1 … <see cref="DistinctClients"/>) is
    /// host .(255 - N), so .254 for the usual 127.0.0.1, and a test binding 127.0.0.2 acts as a second LAN host (.253)
    /// toward per-client policies such as login back-off. Any other client is .254.
    /// </summary>
    public static uint HostPartFor(IPEndPoint client)
    {
        if (client == null) return HostPart;
        byte[] a = client.Address.GetAddressBytes();
        bool loopback = a.Length == 4 && a[0] == 127 && a[1] == 0 && a[2] == 0;
        return loopback && a[3] >= 1 && a[3] <= DistinctClients ? 255u - a[3] : HostPart;
    }

    private uint AddressOf(uint hostPart)
    {
        uint mask = Ipv4Address.Mask(_settings.LanPrefixLength);
        return (_settings.LanAddress & mask) | (hostPart & ~mask);
    }

    private bool IsRelayHost(uint address)
    {
        if (address == HostAddress) return true;
        foreach (var r in _relays) if (AddressOf(r.HostPart) == address) return true;
        return false;
    }

    /// <summary>Accepts desktop connections, relays bytes both ways and moves frames. Returns how much happened.</summary>
    public int Step(long now)
    {
        int work = 0;
        while (TryAccept(out Socket socket))
        {
            _relays.Add(new Relay { Socket = socket, HostPart = HostPartFor(socket.RemoteEndPoint as IPEndPoint) });
            work++;
        }
        int length;
        while ((length = _nic.Receive(_rx, 0, _rx.Length)) > 0)
        {
            work++;
            byte[] frame = _rx.AsSpan(0, length).ToArray();
            if (NetworkOrder.ReadUInt16(frame, 12) == EthernetFrame.EtherTypeArp) HandleArp(frame);
            else foreach (var r in _relays) if (r.Client != null && r.Client.Input(frame)) break;
        }
        if (!ResolveRouter(now)) return work;
        for (int i = _relays.Count - 1; i >= 0; i--)
        {
            Relay r = _relays[i];
            r.Client ??= new ScriptedClient(AddressOf(r.HostPart), _nic.MacAddress, _settings.LanAddress, _routerMac, NextPort(), RouterPort);
            work += FromDesktop(r);
            work += ToDesktop(r);
            foreach (byte[] frame in r.Client.Output(now))
            {
                _nic.Send(frame, 0, frame.Length);
                work++;
            }
            if (r.Client.Failed || (r.Client.Finished && r.DesktopClosed))
            {
                Close(r, reset: r.Client.Failed);
                _relays.RemoveAt(i);
            }
        }
        return work;
    }

    private bool TryAccept(out Socket socket)
    {
        socket = null;
        try
        {
            socket = _listener.Accept();
            socket.Blocking = false;
            socket.NoDelay = true;
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return false;
        }
    }

    private int FromDesktop(Relay r)
    {
        if (r.DesktopClosed || !r.Client.Connected || r.Client.Pending > 32768) return 0;
        try
        {
            int n = r.Socket.Receive(_socketBuffer, 0, _socketBuffer.Length, SocketFlags.None);
            if (n == 0)
            {
                r.DesktopClosed = true;
                r.Client.Close();
                return 1;
            }
            r.Client.Write(_socketBuffer, 0, n);
            return 1;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return 0;
        }
        catch (SocketException)
        {
            r.DesktopClosed = true; // reset by the browser
            r.Client.Close();
            return 1;
        }
    }

    private int ToDesktop(Relay r)
    {
        var received = r.Client.Received;
        int work = 0;
        if (received.Count > 0)
        {
            try
            {
                byte[] chunk = received.ToArray();
                int n = r.Socket.Send(chunk, 0, chunk.Length, SocketFlags.None);
                received.RemoveRange(0, n);
                r.Forwarded += n;
                work++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
            }
            catch (SocketException)
            {
                r.DesktopClosed = true;
                r.Client.Close();
            }
        }
        if (received.Count == 0 && r.Client.PeerClosed && !r.ShutDownSent)
        {
            // The router closed its side: pass the FIN on.
            try { r.Socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
            r.ShutDownSent = true;
            work++;
        }
        return work;
    }

    private static void Close(Relay r, bool reset)
    {
        if (reset) r.Socket.LingerState = new LingerOption(true, 0); // the router reset the connection: so does the bridge
        r.Socket.Close();
    }

    private int NextPort()
    {
        int port = _nextPort;
        _nextPort = _nextPort == 65535 ? 49152 : _nextPort + 1;
        return port;
    }

    /// <summary>The router's MAC by ARP, asked again every 200 ms until it answers and whenever the LAN address changes.</summary>
    private bool ResolveRouter(long now)
    {
        if (_routerMac != null && _routerMacFor == _settings.LanAddress) return true;
        if (_relays.Count == 0) return false;
        if (_arpSentAt >= 0 && now - _arpSentAt < 200) return false;
        _arpSentAt = now;
        byte[] request = new byte[42];
        EthernetFrame.SetAddresses(request, 0, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, _nic.MacAddress);
        EthernetFrame.SetEtherType(request, 0, EthernetFrame.EtherTypeArp);
        ArpPacket.Write(request, 14, ArpPacket.OperationRequest, _nic.MacAddress, HostAddress, new byte[6], 0, _settings.LanAddress);
        _nic.Send(request, 0, request.Length);
        return false;
    }

    private void HandleArp(byte[] frame)
    {
        if (frame.Length < 42) return;
        int operation = ArpPacket.Operation(frame, 14);
        int senderMacOffset = 14 + ArpPacket.SenderHardwareField;
        if (operation == ArpPacket.OperationReply && ArpPacket.SenderProtocolAddress(frame, 14) == _settings.LanAddress)
        {
            _routerMac = frame.AsSpan(senderMacOffset, 6).ToArray();
            _routerMacFor = _settings.LanAddress;
        }
        else if (operation == ArpPacket.OperationRequest && IsRelayHost(ArpPacket.TargetProtocolAddress(frame, 14)))
        {
            uint target = ArpPacket.TargetProtocolAddress(frame, 14);
            byte[] senderMac = frame.AsSpan(senderMacOffset, 6).ToArray();
            byte[] reply = new byte[42];
            EthernetFrame.SetAddresses(reply, 0, senderMac, 0, _nic.MacAddress);
            EthernetFrame.SetEtherType(reply, 0, EthernetFrame.EtherTypeArp);
            ArpPacket.Write(reply, 14, ArpPacket.OperationReply, _nic.MacAddress, target, senderMac, 0, ArpPacket.SenderProtocolAddress(frame, 14));
            _nic.Send(reply, 0, reply.Length);
        }
    }

    public void Dispose()
    {
        foreach (var r in _relays) Close(r, reset: true);
        _relays.Clear();
        _listener.Close();
    }
}
