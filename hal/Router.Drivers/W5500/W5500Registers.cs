namespace Router.Drivers.W5500
{
    /// <summary>
    /// W5500 register map and SPI framing (WIZnet W5500 datasheet v1.0.x, chapters 2 and 4; the same values as WIZnet's
    /// ioLibrary w5500.h, Linux w5100.c and Zephyr eth_w5500_priv.h). Only what a MACRAW driver on socket 0 uses.
    /// </summary>
    public static class W5500Registers
    {
        // SPI frame: [address hi][address lo][control][data...]; control = BSB[4:0] << 3 | RWB << 2 | OM[1:0].
        public const int HeaderLength = 3;
        public const int ControlWrite = 0x04;      // RWB = 1
        public const int ModeVariable = 0x00;      // OM = 00: variable-length data, framed by chip select (VDM)
        public const int BlockCommon = 0;
        public const int BlockSocket0 = 1;         // socket n registers: 4n + 1
        public const int BlockSocket0Tx = 2;       // socket n TX buffer: 4n + 2
        public const int BlockSocket0Rx = 3;       // socket n RX buffer: 4n + 3

        /// <summary>The control byte for block <paramref name="block"/>, read or write, variable-length mode.</summary>
        public static int Control(int block, bool write) { return (block << 3) | (write ? ControlWrite : 0) | ModeVariable; }

        /// <summary>Socket n's register block.</summary>
        public static int SocketBlock(int socket) { return 4 * socket + 1; }

        // Common registers (block 0).
        public const int MR = 0x0000;
        public const int MR_RST = 0x80;
        public const int SHAR = 0x0009;
        public const int IR = 0x0015;
        public const int SIR = 0x0017;
        public const int SIMR = 0x0018;
        public const int RTR = 0x0019;
        public const int RTR_Reset = 0x07D0;
        public const int PHYCFGR = 0x002E;
        public const int PHYCFGR_LNK = 0x01;
        public const int PHYCFGR_SPD = 0x02;
        public const int PHYCFGR_DPX = 0x04;
        public const int PHYCFGR_RST = 0x80;       // active low
        public const int VERSIONR = 0x0039;
        public const int Version = 0x04;

        // Socket registers (socket block).
        public const int Sn_MR = 0x00;
        public const int Sn_MR_MACRAW = 0x04;
        public const int Sn_MR_MIP6B = 0x10;
        public const int Sn_MR_MMB = 0x20;         // multicast block (MACRAW)
        public const int Sn_MR_BCASTB = 0x40;      // broadcast block
        public const int Sn_MR_MFEN = 0x80;        // MAC filter (MACRAW): only own address, broadcast, multicast
        public const int Sn_CR = 0x01;
        public const int Sn_CR_OPEN = 0x01;
        public const int Sn_CR_CLOSE = 0x10;
        public const int Sn_CR_SEND = 0x20;
        public const int Sn_CR_RECV = 0x40;
        public const int Sn_IR = 0x02;
        public const int Sn_IR_RECV = 0x04;
        public const int Sn_IR_TIMEOUT = 0x08;
        public const int Sn_IR_SENDOK = 0x10;
        public const int Sn_SR = 0x03;
        public const int Sn_SR_CLOSED = 0x00;
        public const int Sn_SR_MACRAW = 0x42;
        public const int Sn_RXBUF_SIZE = 0x1E;
        public const int Sn_TXBUF_SIZE = 0x1F;
        public const int Sn_TX_FSR = 0x20;
        public const int Sn_TX_RD = 0x22;
        public const int Sn_TX_WR = 0x24;
        public const int Sn_RX_RSR = 0x26;
        public const int Sn_RX_RD = 0x28;
        public const int Sn_RX_WR = 0x2A;
        public const int Sn_IMR = 0x2C;

        public const int SocketCount = 8;
        /// <summary>16 KB: the whole RX (and TX) memory given to socket 0.</summary>
        public const int BufferBytes = 16384;
        public const int BufferKilobytes = 16;

        /// <summary>Frame bounds MACRAW hands up (no FCS): 60..1514; the length header adds 2.</summary>
        public const int MinFrame = 60;
        public const int MaxFrame = 1514;
        public const int LengthHeader = 2;
    }
}
