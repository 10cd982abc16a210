using System;
using System.Diagnostics;
using Router.Hal;

namespace Router.Hal.Desktop.Chips;

/// <summary>How a <see cref="W5500Model"/> answers when it is not there.</summary>
public enum AbsentChip
{
    /// <summary>The chip is present.</summary>
    No,
    /// <summary>MISO floats high (pull-up): every byte reads 0xFF.</summary>
    MisoHigh,
    /// <summary>MISO held low: every byte reads 0x00.</summary>
    MisoLow,
}

/// <summary>
/// A WIZnet W5500 at register level, behind <see cref="ISpiDevice"/>, for the desktop: what the datasheet (v1.0.x,
/// chapters 2–5) says the chip does for a host using socket 0 in MACRAW mode, and the faults a board meets.
/// </summary>
/// <remarks>
/// <para>SPI: each call is one chip-select frame <c>[addr hi][addr lo][control][data…]</c>, control = BSB[4:0]·RWB·OM[1:0].
/// OM 00 is variable-length (the frame ends with chip select); 01/10/11 are fixed 1/2/4-byte frames, several of which may
/// follow each other within one call. Addresses auto-increment; in a socket's TX/RX buffer they wrap inside that
/// socket's buffer (its size from Sn_TXBUF_SIZE/Sn_RXBUF_SIZE, the 16 KB memories split in socket order).</para>
/// <para>Registers: MR (RST self-clears), SHAR, IR/IMR, SIR (derived), SIMR, RTR (0x07D0), PHYCFGR (link, 100/full),
/// VERSIONR (0x04); per socket Sn_MR, Sn_CR (executes and self-clears), Sn_IR (write 1 to clear), Sn_SR, buffer sizes,
/// Sn_TX_FSR/RD/WR, Sn_RX_RSR/RD/WR, Sn_IMR. Sn_RX_RD and Sn_TX_WR take effect at RECV and SEND, as on the chip.</para>
/// <para>MACRAW (socket 0 only): each accepted frame is stored as a 2-byte big-endian length (frame + 2) and the frame
/// (no FCS), padded to 60 bytes as the sender's MAC would have; Sn_IR.RECV is set. With Sn_MR.MFEN only frames to SHAR,
/// broadcast (unless BCASTB) and multicast (unless MMB) are kept. A frame that does not fit the free RX space is
/// dropped (<see cref="RxOverflowDrops"/>). SEND transmits Sn_TX_RD..Sn_TX_WR as one frame and sets SEND_OK.</para>
/// <para>INTn is low while (Sn_IR &amp; Sn_IMR) of a socket enabled in SIMR, or IR &amp; IMR, is non-zero; each high→low
/// transition calls the <see cref="InterruptPin"/> listener (after the model's lock is released).</para>
/// <para>The wire side is any <see cref="INetworkInterface"/> (a <see cref="VirtualPort"/> end of a wire or switch, or a
/// <see cref="TapInterface"/>): frames waiting there are taken in before every SPI transaction and on <see cref="Pump"/>
/// (a <see cref="VirtualPort"/> medium also pumps by itself when a frame arrives).</para>
/// Thread-safety: SPI calls, <see cref="Pump"/> and the fault setters may come from different threads.
/// </remarks>
public sealed class W5500Model : ISpiDevice, IFrameReadyListener
{
    public const int MemoryBytes = 16384;
    private const int Sockets = 8, SocketRegisterBytes = 0x30, CommonRegisterBytes = 0x40;
    private const byte MacrawStatus = 0x42;

    private readonly object _gate = new();
    private readonly INetworkInterface _medium;
    private readonly byte[] _common = new byte[CommonRegisterBytes];
    private readonly byte[][] _socket = new byte[Sockets][];
    private readonly byte[] _rxMemory = new byte[MemoryBytes];
    private readonly byte[] _txMemory = new byte[MemoryBytes];
    private readonly byte[] _frame = new byte[2048];
    private readonly Random _noise;
    private readonly Pin _int;
    private readonly ResetLine _rst;

    // Socket 0 pointers beyond the register bytes: the RX read pointer the chip uses (updated at RECV) and RX_WR.
    private int _rxRead, _rxWrite, _txRead;
    private bool _linkUp = true;
    private bool _inReset;
    private bool _intLow;
    private bool _sendCompleting;
    private int _corruptHeaders;
    private bool _tearNextSizeRead;

    public W5500Model(INetworkInterface medium, int noiseSeed = 1)
    {
        _medium = medium ?? throw new ArgumentNullException(nameof(medium));
        for (int s = 0; s < Sockets; s++) _socket[s] = new byte[SocketRegisterBytes];
        _noise = new Random(noiseSeed);
        _int = new Pin(this);
        _rst = new ResetLine(this);
        HardReset();
        medium.SetFrameReadyListener(this);
    }

    /// <summary>INTn, as a GPIO input for the driver.</summary>
    public IInputPin InterruptPin => _int;

    /// <summary>RSTn, as a GPIO output for the driver (low holds the chip in reset; a pulse shorter than 500 µs is ignored).</summary>
    public IOutputPin ResetPin => _rst;

    // ---- measurements ----
    public long SpiTransactions { get; private set; }
    /// <summary>Of <see cref="SpiTransactions"/>, those the driver issued as <c>Write</c> (the rest are full-duplex transfers).</summary>
    public long SpiWrites { get; private set; }
    /// <summary>Bytes clocked on the bus, header bytes included.</summary>
    public long BusBytes { get; private set; }
    public long FramesReceived { get; private set; }
    public long FramesSent { get; private set; }
    public long RxOverflowDrops { get; private set; }
    public long RxFilteredDrops { get; private set; }
    /// <summary>Frames arriving while socket 0 was not open in MACRAW or the link was down.</summary>
    public long RxClosedDrops { get; private set; }
    public long RxTooLongDrops { get; private set; }
    public long HardResets { get; private set; }
    public long ShortResetPulses { get; private set; }
    public long SoftResets { get; private set; }
    public long BitErrorsInjected { get; private set; }
    /// <summary>Sn_RX_RSR reads torn by <see cref="TearNextReceivedSizeRead"/>.</summary>
    public long TornSizeReads { get; private set; }
    /// <summary>Commands written to socket 0 (OPEN, CLOSE, SEND, RECV, …), including ignored ones.</summary>
    public long Commands { get; private set; }

    public void ResetCounters()
    {
        lock (_gate) SpiTransactions = SpiWrites = BusBytes = 0;
    }

    // ---- faults ----

    /// <summary>Probability, per byte the chip drives on MISO, of one flipped bit.</summary>
    public double MisoBitErrorRate { get; set; }

    /// <summary>Writes to Sn_CR stay in the register and never execute (a wedged chip).</summary>
    public bool StuckCommandRegister { get; set; }

    /// <summary>Nobody answers on this chip select.</summary>
    public AbsentChip Absent { get; set; }

    /// <summary>The next <paramref name="count"/> received frames get a length header no frame can have.</summary>
    public void CorruptNextLengthHeaders(int count = 1)
    {
        lock (_gate) _corruptHeaders = count;
    }

    /// <summary>
    /// A test instrument, not chip behaviour: frames arriving from now on wait on the wire until the next read of
    /// Sn_RX_RSR, and land between its high and its low byte. The read then returns the high byte from before the update
    /// and the low byte from after it, as a host reading the two bytes in separate transactions could see (the reason
    /// ioLibrary and ESP-IDF read the register until two reads agree).
    /// </summary>
    public void TearNextReceivedSizeRead()
    {
        lock (_gate) _tearNextSizeRead = true;
    }

    /// <summary>The PHY's link (cable plugged, peer up). While down, nothing is received and sent frames are lost.</summary>
    public bool LinkUp
    {
        get { lock (_gate) return _linkUp; }
        set { lock (_gate) _linkUp = value; }
    }

    // ---- the wire ----

    /// <summary>The medium has a frame: take it in (INTn may fall).</summary>
    public void OnFrameReady(INetworkInterface port) => Pump();

    /// <summary>Takes every frame waiting on the medium into the chip.</summary>
    public void Pump()
    {
        bool edge;
        lock (_gate)
        {
            if (_tearNextSizeRead) return; // held for the torn read
            PumpLocked();
            edge = UpdateInterrupt();
        }
        if (edge) _int.Fire();
    }

    private void PumpLocked()
    {
        while (_medium.Receive(_frame, 0, _frame.Length, out int length) == ReceiveResult.Frame) Ingest(_frame, length);
    }

    private void Ingest(byte[] frame, int length)
    {
        byte[] s0 = _socket[0];
        if (_inReset || Absent != AbsentChip.No || !_linkUp || s0[0x03] != MacrawStatus)
        {
            RxClosedDrops++;
            return;
        }
        if (length > 1514)
        {
            RxTooLongDrops++;
            return;
        }
        if (!PassesFilter(frame, s0[0x00]))
        {
            RxFilteredDrops++;
            return;
        }
        int stored = Math.Max(length, 60);
        int size = BufferSize(0, rx: true);
        int used = (_rxWrite - _rxRead) & 0xFFFF;
        if (stored + 2 > size - used)
        {
            RxOverflowDrops++;
            return;
        }
        int header = stored + 2;
        if (_corruptHeaders > 0)
        {
            _corruptHeaders--;
            header = 0xFFFF ^ header; // far outside 62..1516
        }
        int at = _rxWrite;
        PutRx(at, (byte)(header >> 8));
        PutRx(at + 1, (byte)header);
        for (int i = 0; i < stored; i++) PutRx(at + 2 + i, i < length ? frame[i] : (byte)0);
        _rxWrite = (_rxWrite + stored + 2) & 0xFFFF;
        SetSocket16(0, 0x2A, _rxWrite);
        s0[0x02] |= 0x04; // Sn_IR.RECV
        FramesReceived++;
    }

    private bool PassesFilter(byte[] frame, int mode)
    {
        bool group = (frame[0] & 1) != 0;
        bool broadcast = group && frame[0] == 0xFF && frame[1] == 0xFF && frame[2] == 0xFF && frame[3] == 0xFF && frame[4] == 0xFF && frame[5] == 0xFF;
        if (broadcast && (mode & 0x40) != 0) return false;              // BCASTB
        if (group && !broadcast && (mode & 0x20) != 0) return false;    // MMB
        if ((mode & 0x80) == 0) return true;                            // MFEN off: everything else
        if (group) return true;
        for (int i = 0; i < 6; i++) if (frame[i] != _common[0x09 + i]) return false;
        return true;
    }

    // ---- SPI ----

    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate) SpiWrites++;
        Transfer(buffer, offset, null, 0, count);
    }

    public void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count) =>
        Transfer(writeBuffer, writeOffset, readBuffer, readOffset, count);

    private void Transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int count)
    {
        bool edge;
        lock (_gate)
        {
            SpiTransactions++;
            BusBytes += count;
            if (_medium.FrameReady && !_tearNextSizeRead) PumpLocked();
            if (_inReset || Absent != AbsentChip.No)
            {
                if (miso != null) Array.Fill(miso, Absent == AbsentChip.MisoLow ? (byte)0x00 : (byte)0xFF, misoOffset, count);
                return;
            }
            int i = 0;
            while (count - i >= 3)
            {
                int address = (mosi[mosiOffset + i] << 8) | mosi[mosiOffset + i + 1];
                int control = mosi[mosiOffset + i + 2];
                if (miso != null) Array.Clear(miso, misoOffset + i, 3);
                i += 3;
                int mode = control & 0x03;
                int length = mode == 0 ? count - i : mode == 1 ? 1 : mode == 2 ? 2 : 4;
                length = Math.Min(length, count - i);
                int block = control >> 3;
                bool write = (control & 0x04) != 0;
                for (int k = 0; k < length; k++, i++)
                {
                    int a = (address + k) & 0xFFFF;
                    if (write) WriteByte(block, a, mosi[mosiOffset + i]);
                    else
                    {
                        byte value = ReadByte(block, a);
                        if (MisoBitErrorRate > 0 && _noise.NextDouble() < MisoBitErrorRate)
                        {
                            value ^= (byte)(1 << _noise.Next(8));
                            BitErrorsInjected++;
                        }
                        if (miso != null) miso[misoOffset + i] = value;
                        if (_tearNextSizeRead && block == 1 && a == 0x26)
                        {
                            _tearNextSizeRead = false; // the held frames land between Sn_RX_RSR's two bytes
                            TornSizeReads++;
                            PumpLocked();
                        }
                    }
                }
                if (mode == 0) break;
            }
            if (miso != null && i < count) Array.Clear(miso, misoOffset + i, count - i);
            if (_sendCompleting)
            {
                // A frame takes microseconds on the wire: SEND_OK comes after the SPI frame that issued SEND, so a
                // write-1-to-clear of Sn_IR in the same burst clears only the previous completion.
                _sendCompleting = false;
                _socket[0][0x02] |= 0x10;
            }
            edge = UpdateInterrupt();
        }
        if (edge) _int.Fire();
    }

    private byte ReadByte(int block, int address)
    {
        if (block == 0) return ReadCommon(address);
        int socket = (block - 1) >> 2;
        if (socket >= Sockets) return 0;
        switch ((block - 1) & 3)
        {
            case 0: return ReadSocket(socket, address);
            case 1: return BufferSize(socket, rx: false) == 0 ? (byte)0 : _txMemory[BufferBase(socket, false) + (address & (BufferSize(socket, false) - 1))];
            case 2: return BufferSize(socket, rx: true) == 0 ? (byte)0 : _rxMemory[BufferBase(socket, true) + (address & (BufferSize(socket, true) - 1))];
            default: return 0;
        }
    }

    private void WriteByte(int block, int address, byte value)
    {
        if (block == 0)
        {
            WriteCommon(address, value);
            return;
        }
        int socket = (block - 1) >> 2;
        if (socket >= Sockets) return;
        switch ((block - 1) & 3)
        {
            case 0: WriteSocket(socket, address, value); break;
            case 1:
                if (BufferSize(socket, false) > 0) _txMemory[BufferBase(socket, false) + (address & (BufferSize(socket, false) - 1))] = value;
                break;
            // RX buffer blocks are read-only for the host.
        }
    }

    private byte ReadCommon(int address)
    {
        if (address >= CommonRegisterBytes) return 0;
        if (address == 0x17) return Sir();
        if (address == 0x2E) return (byte)((_common[0x2E] & 0xF8) | (_linkUp ? 0x07 : 0x00)); // LNK, 100 Mbit, full duplex
        return _common[address];
    }

    private void WriteCommon(int address, byte value)
    {
        switch (address)
        {
            case 0x00:
                if ((value & 0x80) != 0) SoftReset();
                else _common[0] = value;
                return;
            case 0x15: _common[0x15] &= (byte)~value; return; // IR: write 1 to clear
            case 0x17: case 0x39: return;                       // SIR, VERSIONR: read-only
            case 0x2E: _common[0x2E] = (byte)(value & 0xF8); return;        // PHYCFGR: LNK/SPD/DPX are status bits
        }
        if (address < CommonRegisterBytes) _common[address] = value;
    }

    private byte ReadSocket(int socket, int address)
    {
        if (address >= SocketRegisterBytes) return 0;
        byte[] r = _socket[socket];
        if (socket == 0)
        {
            switch (address)
            {
                case 0x20: return (byte)(TxFree() >> 8);
                case 0x21: return (byte)TxFree();
                case 0x22: return (byte)(_txRead >> 8);
                case 0x23: return (byte)_txRead;
                case 0x26: return (byte)(RxReceived() >> 8);
                case 0x27: return (byte)RxReceived();
            }
        }
        return r[address];
    }

    private void WriteSocket(int socket, int address, byte value)
    {
        if (address >= SocketRegisterBytes) return;
        byte[] r = _socket[socket];
        switch (address)
        {
            case 0x01:
                r[0x01] = value;
                if (socket == 0) Commands++;
                if (!StuckCommandRegister) Execute(socket, value);
                return;
            case 0x02: r[0x02] &= (byte)~value; return;                     // Sn_IR: write 1 to clear
            case 0x03: case 0x20: case 0x21: case 0x22: case 0x23:
            case 0x26: case 0x27: case 0x2A: case 0x2B: return;             // read-only
            case 0x1E: case 0x1F:
                if (value is 0 or 1 or 2 or 4 or 8 or 16) r[address] = value; // other sizes are ignored
                return;
        }
        r[address] = value;
    }

    private void Execute(int socket, byte command)
    {
        byte[] r = _socket[socket];
        r[0x01] = 0; // accepted
        if (socket != 0) return; // only socket 0 (MACRAW) is modelled
        switch (command)
        {
            case 0x01: // OPEN
                if ((r[0x00] & 0x0F) != 0x04)
                {
                    r[0x03] = 0; // protocols other than MACRAW are not modelled
                    return;
                }
                r[0x03] = MacrawStatus;
                _rxRead = _rxWrite = _txRead = 0;
                SetSocket16(0, 0x28, 0);
                SetSocket16(0, 0x2A, 0);
                SetSocket16(0, 0x24, 0);
                return;
            case 0x10: // CLOSE
                r[0x03] = 0;
                _rxRead = _rxWrite;
                return;
            case 0x20: // SEND
                if (r[0x03] == MacrawStatus) Transmit();
                return;
            case 0x40: // RECV
                if (r[0x03] == MacrawStatus) _rxRead = Socket16(0, 0x28);
                return;
        }
    }

    private void Transmit()
    {
        int write = Socket16(0, 0x24);
        int length = (write - _txRead) & 0xFFFF;
        int size = BufferSize(0, rx: false);
        if (length > 0 && length <= Math.Min(size, _frame.Length))
        {
            for (int i = 0; i < length; i++) _frame[i] = _txMemory[BufferBase(0, false) + ((_txRead + i) & (size - 1))];
            if (_linkUp && _medium.Send(_frame, 0, length)) FramesSent++;
        }
        _txRead = write;
        _sendCompleting = true; // SEND_OK at the end of this SPI frame
    }

    // ---- derived registers ----

    private int TxFree() => BufferSize(0, rx: false) - ((Socket16(0, 0x24) - _txRead) & 0xFFFF);

    private int RxReceived() => (_rxWrite - _rxRead) & 0xFFFF;

    private byte Sir()
    {
        int sir = 0;
        for (int s = 0; s < Sockets; s++) if ((_socket[s][0x02] & _socket[s][0x2C]) != 0) sir |= 1 << s;
        return (byte)sir;
    }

    /// <summary>Recomputes INTn; true when it just fell.</summary>
    private bool UpdateInterrupt()
    {
        bool low = !_inReset && Absent == AbsentChip.No && ((Sir() & _common[0x18]) != 0 || (_common[0x15] & _common[0x16]) != 0);
        bool fell = low && !_intLow;
        _intLow = low;
        return fell;
    }

    private int BufferSize(int socket, bool rx) => _socket[socket][rx ? 0x1E : 0x1F] * 1024;

    private int BufferBase(int socket, bool rx)
    {
        int b = 0;
        for (int s = 0; s < socket; s++) b += BufferSize(s, rx);
        return b;
    }

    private void PutRx(int pointer, byte value)
    {
        int size = BufferSize(0, rx: true);
        _rxMemory[BufferBase(0, true) + (pointer & (size - 1))] = value;
    }

    private int Socket16(int socket, int address) => (_socket[socket][address] << 8) | _socket[socket][address + 1];

    private void SetSocket16(int socket, int address, int value)
    {
        _socket[socket][address] = (byte)(value >> 8);
        _socket[socket][address + 1] = (byte)value;
    }

    // ---- reset ----

    private void HardReset()
    {
        Array.Clear(_rxMemory);
        Array.Clear(_txMemory);
        SoftReset();
        _common[0x2E] = 0xB8; // PHYCFGR: not in PHY reset, all-capable auto-negotiation
    }

    /// <summary>MR.RST: every register back to its reset value; the bit clears itself.</summary>
    private void SoftReset()
    {
        SoftResets++;
        byte phy = _common[0x2E];
        Array.Clear(_common);
        _common[0x19] = 0x07;
        _common[0x1A] = 0xD0;  // RTR = 2000 (200 ms)
        _common[0x1B] = 0x08;  // RCR
        _common[0x39] = 0x04;  // VERSIONR
        _common[0x2E] = phy == 0 ? (byte)0xB8 : phy;
        for (int s = 0; s < Sockets; s++)
        {
            Array.Clear(_socket[s]);
            _socket[s][0x1E] = 2;
            _socket[s][0x1F] = 2;
            _socket[s][0x2C] = 0xFF;
        }
        _rxRead = _rxWrite = _txRead = 0;
    }

    private sealed class Pin(W5500Model chip) : IInputPin
    {
        private volatile IPinEdgeListener _listener;

        public bool Read()
        {
            lock (chip._gate) return !chip._intLow;
        }

        public void SetFallingEdgeListener(IPinEdgeListener listener) => _listener = listener;

        public void Fire() => _listener?.OnFallingEdge();
    }

    private sealed class ResetLine(W5500Model chip) : IOutputPin
    {
        private long _lowSince;

        public void Write(bool high)
        {
            lock (chip._gate)
            {
                if (!high)
                {
                    if (!chip._inReset) _lowSince = Stopwatch.GetTimestamp();
                    chip._inReset = true;
                    return;
                }
                if (!chip._inReset) return;
                chip._inReset = false;
                if (Stopwatch.GetElapsedTime(_lowSince).TotalMicroseconds < 500)
                {
                    chip.ShortResetPulses++;
                    return;
                }
                chip.HardResets++;
                chip.HardReset();
                chip.UpdateInterrupt();
            }
        }
    }
}
