namespace Router.Device
{
    /// <summary>
    /// The web UI's compressed files as resources of the application image, from WebAssets.resx (the .gz files the
    /// firmware build writes to firmware/Web/obj/gzip). The same shape nanoFramework's resource code generator gives a
    /// .resx; the ids are set in the resource names ("AppCss;1"), so they do not depend on a name hash.
    /// </summary>
    internal partial class WebAssets
    {
        private static System.Resources.ResourceManager manager;

        internal static System.Resources.ResourceManager ResourceManager
        {
            get
            {
                if (manager == null) manager = new System.Resources.ResourceManager("Router.Device.WebAssets", typeof(WebAssets).Assembly);
                return manager;
            }
        }

        internal enum BinaryResources : short
        {
            AppCss = 1,
            AppJs = 2,
            IndexHtml = 3,
        }
    }
}
