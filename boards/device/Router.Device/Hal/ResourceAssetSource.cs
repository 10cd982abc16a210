using System;
using System.Resources;
using nanoFramework.Runtime.Native;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// The board's <see cref="IAssetSource"/>: binary resources of the application image (a .resx compiled into the
    /// deployed assembly, which stays in flash), read a slice at a time with nanoFramework's
    /// <c>ResourceUtility.GetObject(ResourceManager, Enum, offset, length)</c>. Only the slice comes onto the heap.
    /// </summary>
    /// <remarks>
    /// Each read is a new byte[] of the slice's length (nanoFramework.ResourceManager's native GetObjectInternal
    /// allocates it and copies from flash), copied into the caller's buffer and left to the next collection: on nanoCLR
    /// 12 × ceil((20 + n) / 12) bytes of garbage per slice of n bytes (1,044 B for esp32-eth's 1 KB TCP send buffer).
    /// The resource ids are boxed once, here, so a read boxes nothing.
    /// </remarks>
    public sealed class ResourceAssetSource : IAssetSource
    {
        private readonly ResourceManager _resources;
        private readonly Enum[] _ids;
        private readonly int[] _lengths;

        /// <param name="ids">Resource id of each asset, by asset index.</param>
        /// <param name="lengths">Bytes of each asset, by asset index (the resources' sizes, known at build time).</param>
        public ResourceAssetSource(ResourceManager resources, Enum[] ids, int[] lengths)
        {
            if (ids.Length != lengths.Length) throw new ArgumentException("One length per resource id.");
            _resources = resources;
            _ids = ids;
            _lengths = lengths;
        }

        public int Length(int asset)
        {
            return _lengths[asset];
        }

        public int Read(int asset, int offset, byte[] buffer, int bufferOffset, int count)
        {
            int left = _lengths[asset] - offset;
            if (count > left) count = left;
            if (count <= 0) return 0;
            byte[] slice = ResourceUtility.GetObject(_resources, _ids[asset], offset, count) as byte[];
            if (slice == null) return 0; // no such resource in the image: the caller ends the response
            int n = slice.Length < count ? slice.Length : count;
            Array.Copy(slice, 0, buffer, bufferOffset, n);
            return n;
        }
    }
}
