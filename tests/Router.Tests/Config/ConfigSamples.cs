using Router.Boards;
using Router.Config;
using Router.Dhcp;
using Router.Rules;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Config;

/// <summary>Configurations with every field away from its default, and a field-by-field comparison.</summary>
internal static class ConfigSamples
{
    /// <summary>
    /// A board whose config slot is one 4 KB sector and which holds 32 forwards, 16 triggers and 8 reservations, so the
    /// largest configuration fills two-thirds of the slot. The store's tests are about the slot, not about any one board,
    /// whose capacities follow its memory budget.
    /// </summary>
    public static readonly BoardProfile OneSectorBoard = new BoardProfile("one-sector", "config store test board",
        new Capacities { PortForwards = 32, PortTriggers = 16, DhcpReservations = 8, DhcpLeases = 32 }, 4096, 2, 100 * 1024, "test fixture: no heap is measured");

    public static RouterConfig Rich(Capacities capacities, int variant, int forwards = 3, int triggers = 2, int reservations = 2)
    {
        var c = RouterConfig.For(capacities);
        c.LanAddress = Frames.Ip("10.20.0.1");
        c.LanPrefixLength = 16;
        c.WanMode = RouterConfig.WanStatic;
        c.WanAddress = Frames.Ip("203.0.113.2");
        c.WanPrefixLength = 24;
        c.WanGateway = Frames.Ip("203.0.113.1");
        c.PrimaryDns = Frames.Ip("192.0.2.53");
        c.SecondaryDns = Frames.Ip("198.51.100.53");
        c.WanMtu = 1492 - variant;
        c.LanSourceGuard = variant % 2 == 0;
        c.AllowSourceRouted = variant % 2 == 1;
        c.TcpEstablishedTimeoutSeconds = 8000 + variant;
        c.UdpTimeoutSeconds = 150;
        c.UdpAssuredTimeoutSeconds = 400;
        c.IcmpTimeoutSeconds = 90;
        c.Ftp.Enabled = false;
        c.Ftp.AddControlPort(2121);
        c.Ftp.ExpectationTimeoutSeconds = 45;
        c.AdminHash = new byte[32];
        c.AdminSalt = new byte[16];
        for (int i = 0; i < 32; i++) c.AdminHash[i] = (byte)(i * 7 + variant);
        for (int i = 0; i < 16; i++) c.AdminSalt[i] = (byte)(255 - i);
        c.Dhcp.Enabled = false;
        c.Dhcp.PoolStart = Frames.Ip("10.20.5.10");
        c.Dhcp.PoolEnd = Frames.Ip("10.20.5.200") + (uint)variant;
        c.Dhcp.LeaseSeconds = 3600 + (uint)variant;
        c.Dhcp.Dns1 = Frames.Ip("192.0.2.54");
        c.Dhcp.Dns2 = Frames.Ip("192.0.2.55");
        for (int i = 0; i < reservations; i++)
        {
            Assert.True(c.Dhcp.Reservations.Add(new byte[] { 0x02, 0, 0, 0, (byte)(i >> 8), (byte)(i + variant) }, 0, Frames.Ip("10.20.6.0") + 1 + (uint)i));
        }
        for (int i = 0; i < forwards; i++)
        {
            PortForward f = c.AddForward();
            f.Name = "fwd " + i + " v" + variant + (i == 0 ? " ünïcode" : "");
            f.Enabled = i != 1;
            f.Protocol = 1 + i % 3;
            f.ExternalPort = 1000 + i * 10;
            f.ExternalPortEnd = 1000 + i * 10 + i % 4;
            f.InternalAddress = Frames.Ip("10.20.1." + (2 + i % 200));
            f.InternalPort = 2000 + i;
            f.AllowedSource = i % 2 == 0 ? Frames.Ip("198.51.100.0") : 0;
            f.AllowedSourcePrefixLength = i % 2 == 0 ? 24 : 0;
            // Every third forward from the third on balances over a pool of 2 to 4 hosts (flag bit 1 in the image).
            for (int m = 1; i % 3 == 2 && m <= 1 + (i / 3 + variant) % 3; m++) f.SetPoolMember(m, Frames.Ip("10.20.2." + (m * 10 + i % 200)));
        }
        for (int i = 0; i < triggers; i++)
        {
            PortTrigger t = c.AddTrigger();
            t.Name = "trigger " + i;
            t.Enabled = i != 1;
            t.TriggerProtocol = 1 + (i + 1) % 3;
            t.TriggerPort = 6000 + i * 10;
            t.TriggerPortEnd = 6001 + i * 10;
            t.OpenProtocol = 1 + i % 3;
            t.OpenPort = 30000 + i * 10;
            t.OpenPortEnd = 30005 + i * 10;
            t.IdleTimeoutSeconds = 100 + i + variant;
        }
        return c;
    }

    public static void AssertSame(RouterConfig e, RouterConfig a)
    {
        Assert.Equal(e.LanAddress, a.LanAddress);
        Assert.Equal(e.LanPrefixLength, a.LanPrefixLength);
        Assert.Equal(e.WanMode, a.WanMode);
        Assert.Equal(e.WanAddress, a.WanAddress);
        Assert.Equal(e.WanPrefixLength, a.WanPrefixLength);
        Assert.Equal(e.WanGateway, a.WanGateway);
        Assert.Equal(e.PrimaryDns, a.PrimaryDns);
        Assert.Equal(e.SecondaryDns, a.SecondaryDns);
        Assert.Equal(e.WanMtu, a.WanMtu);
        Assert.Equal(e.LanSourceGuard, a.LanSourceGuard);
        Assert.Equal(e.AllowSourceRouted, a.AllowSourceRouted);
        Assert.Equal(e.TcpEstablishedTimeoutSeconds, a.TcpEstablishedTimeoutSeconds);
        Assert.Equal(e.UdpTimeoutSeconds, a.UdpTimeoutSeconds);
        Assert.Equal(e.UdpAssuredTimeoutSeconds, a.UdpAssuredTimeoutSeconds);
        Assert.Equal(e.IcmpTimeoutSeconds, a.IcmpTimeoutSeconds);
        Assert.Equal(e.Ftp.Enabled, a.Ftp.Enabled);
        Assert.Equal(e.Ftp.ControlPortCount, a.Ftp.ControlPortCount);
        for (int i = 0; i < e.Ftp.ControlPortCount; i++) Assert.Equal(e.Ftp.ControlPort(i), a.Ftp.ControlPort(i));
        Assert.Equal(e.Ftp.ExpectationTimeoutSeconds, a.Ftp.ExpectationTimeoutSeconds);
        Assert.Equal(e.AdminHash, a.AdminHash);
        Assert.Equal(e.AdminSalt, a.AdminSalt);
        Assert.Equal(e.ForwardCount, a.ForwardCount);
        for (int i = 0; i < e.ForwardCount; i++)
        {
            PortForward x = e.Forwards[i], y = a.Forwards[i];
            Assert.Equal(x.Name, y.Name);
            Assert.True(x.SameTraffic(y), "forward " + i);
        }
        Assert.Equal(e.TriggerCount, a.TriggerCount);
        for (int i = 0; i < e.TriggerCount; i++)
        {
            Assert.Equal(e.Triggers[i].Name, a.Triggers[i].Name);
            Assert.True(e.Triggers[i].SameTraffic(a.Triggers[i]), "trigger " + i);
        }
        Assert.Equal(e.Dhcp.Enabled, a.Dhcp.Enabled);
        Assert.Equal(e.Dhcp.PoolStart, a.Dhcp.PoolStart);
        Assert.Equal(e.Dhcp.PoolEnd, a.Dhcp.PoolEnd);
        Assert.Equal(e.Dhcp.LeaseSeconds, a.Dhcp.LeaseSeconds);
        Assert.Equal(e.Dhcp.Dns1, a.Dhcp.Dns1);
        Assert.Equal(e.Dhcp.Dns2, a.Dhcp.Dns2);
        Assert.Equal(e.Dhcp.Reservations.Count, a.Dhcp.Reservations.Count);
        for (int i = 0; i < e.Dhcp.Reservations.Count; i++)
        {
            int at = DhcpReservations.MacOffset(i);
            Assert.Equal(e.Dhcp.Reservations.MacBuffer[at..(at + 6)], a.Dhcp.Reservations.MacBuffer[at..(at + 6)]);
            Assert.Equal(e.Dhcp.Reservations.Address(i), a.Dhcp.Reservations.Address(i));
        }
    }

    /// <summary>The current-format payload of a configuration, to compare configurations as a whole.</summary>
    public static byte[] Payload(RouterConfig c)
    {
        var buffer = new byte[65536];
        var w = new ConfigWriter();
        w.Reset(buffer, 0, buffer.Length);
        ConfigCodec.Encode(c, w);
        Assert.False(w.Overflow);
        return buffer[..w.Position];
    }
}
