using System;
using System.Collections.Generic;
using System.Text;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Tests.Ftp;

/// <summary>
/// A small FTP server for tests: answers each command line with the reply a real server gives, offers passive data
/// ports (227 or 229 naming its own address), and opens active data connections from port 20 to what PORT/EPRT named.
/// </summary>
public sealed class ScriptedFtpServer
{
    private readonly FtpNet _net;
    public readonly uint Address;
    public readonly bool OnLan;
    public TcpEndpoint Control;
    public readonly List<string> Commands = new();
    public uint ActiveAddress;
    public int ActivePort;
    public int PassivePort = 52397;
    public TcpEndpoint Data;
    /// <summary>The reply to PASV; {0} is replaced by the host-port numbers.</summary>
    public string PassiveFormat = "227 Entering Passive Mode ({0}).";
    private readonly Dictionary<TcpEndpoint, int> _consumed = new();

    public ScriptedFtpServer(FtpNet net, uint address, bool onLan, int port = 21)
    {
        _net = net;
        Address = address;
        OnLan = onLan;
        net.Listen(address, port, onLan, e =>
        {
            Control = e;
            e.OnData = OnControlData;
        });
    }

    /// <summary>Sends the greeting once the client's handshake completed.</summary>
    public void Greet() => Control.Send("220 Scripted FTP ready\r\n");

    private void OnControlData(TcpEndpoint e)
    {
        string text = e.Text;
        int end, consumed = _consumed.GetValueOrDefault(e);
        while ((end = text.IndexOf("\r\n", consumed, StringComparison.Ordinal)) >= 0)
        {
            string line = text.Substring(consumed, end - consumed);
            _consumed[e] = consumed = end + 2;
            Commands.Add(line);
            e.Send(Reply(line) + "\r\n");
        }
    }

    private string Reply(string line)
    {
        string verb = line.Split(' ')[0].ToUpperInvariant();
        string argument = line.Length > verb.Length ? line.Substring(verb.Length).Trim() : "";
        switch (verb)
        {
            case "USER": return "331 Password required";
            case "PASS": return "230 Logged in";
            case "TYPE": return "200 Type set";
            case "PORT":
            {
                string[] n = argument.Split(',');
                if (n.Length != 6) return "501 Syntax error in parameters";
                ActiveAddress = Ipv4Address.Make(int.Parse(n[0]), int.Parse(n[1]), int.Parse(n[2]), int.Parse(n[3]));
                ActivePort = int.Parse(n[4]) * 256 + int.Parse(n[5]);
                return "200 PORT command successful";
            }
            case "EPRT":
            {
                string[] f = argument.Split(argument[0]);
                if (f[1] != "1") return "522 Network protocol not supported, use (1)";
                ActiveAddress = Frames.Ip(f[2]);
                ActivePort = int.Parse(f[3]);
                return "200 EPRT command successful";
            }
            case "PASV":
                _net.Listen(Address, PassivePort, OnLan, d => Data = d);
                return string.Format(PassiveFormat, $"{Address >> 24},{(Address >> 16) & 255},{(Address >> 8) & 255},{Address & 255},{PassivePort >> 8},{PassivePort & 255}");
            case "EPSV":
                _net.Listen(Address, PassivePort, OnLan, d => Data = d);
                return $"229 Entering Extended Passive Mode (|||{PassivePort}|)";
            case "RETR": return "150 Opening BINARY mode data connection";
            case "AUTH": return "234 AUTH TLS successful";
            case "QUIT": return "221 Goodbye";
            default: return "502 Command not implemented";
        }
    }

    /// <summary>Active mode: connects from port 20 to the endpoint the last PORT/EPRT named.</summary>
    public TcpEndpoint OpenActiveData()
    {
        Data = _net.Connect(Address, 20, ActiveAddress, ActivePort, OnLan, 90000);
        return Data;
    }
}

/// <summary>A small FTP client for tests: sends command lines, reads replies, opens data connections.</summary>
public sealed class ScriptedFtpClient
{
    private readonly FtpNet _net;
    public readonly uint Address;
    public readonly bool OnLan;
    public readonly TcpEndpoint Control;
    public TcpEndpoint Data;
    private int _consumed;

    public ScriptedFtpClient(FtpNet net, uint address, bool onLan, uint serverAddress, int serverPort = 21, int localPort = 40000)
    {
        _net = net;
        Address = address;
        OnLan = onLan;
        Control = net.Connect(address, localPort, serverAddress, serverPort, onLan, 1000);
    }

    /// <summary>Sends one command line and returns the reply line(s) that came back.</summary>
    public string Command(string line)
    {
        Control.Send(line + "\r\n");
        return NewReplies();
    }

    /// <summary>Reply text received since the last call.</summary>
    public string NewReplies()
    {
        string text = Control.Text;
        string fresh = text.Substring(_consumed);
        _consumed = text.Length;
        return fresh;
    }

    /// <summary>Active mode: listen for the server's data connection on <paramref name="port"/>.</summary>
    public void ListenForData(int port) => _net.Listen(Address, port, OnLan, d => Data = d);

    /// <summary>Passive mode: read the 227 reply's endpoint and connect to it.</summary>
    public TcpEndpoint ConnectPassive(string reply, int localPort = 41000)
    {
        int open = reply.IndexOf('(');
        string[] n = reply.Substring(open + 1, reply.IndexOf(')') - open - 1).Split(',');
        uint address = Ipv4Address.Make(int.Parse(n[0]), int.Parse(n[1]), int.Parse(n[2]), int.Parse(n[3]));
        Data = _net.Connect(Address, localPort, address, int.Parse(n[4]) * 256 + int.Parse(n[5]), OnLan, 3000);
        return Data;
    }

    /// <summary>Extended passive: connect to the 229 reply's port on <paramref name="serverAddress"/>.</summary>
    public TcpEndpoint ConnectExtendedPassive(string reply, uint serverAddress, int localPort = 41000)
    {
        int start = reply.IndexOf("(|||", StringComparison.Ordinal) + 4;
        int port = int.Parse(reply.Substring(start, reply.IndexOf('|', start) - start));
        Data = _net.Connect(Address, localPort, serverAddress, port, OnLan, 3000);
        return Data;
    }
}
