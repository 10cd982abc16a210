using Router.Config;

namespace Router.Web
{
    /// <summary>/api/ftp and /api/network: read (GET) and change (PUT) the FTP helper and LAN/WAN settings (LAN DHCP server included).</summary>
    public sealed class SettingsApi
    {
        private readonly WebContext _web;
        private readonly StatusSnapshot _inForce;

        public SettingsApi(WebContext web)
        {
            _web = web;
            _inForce = new StatusSnapshot(web.Firmware.Capacities.PortTriggers);
        }

        public void GetFtp(HttpResponse response)
        {
            SettingsJson.WriteFtp(ApiReply.Begin(_web, response), _web.Editor.Current.Ftp);
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        public void GetNetwork(HttpResponse response)
        {
            _inForce.Capture(_web.Firmware);
            SettingsJson.WriteNetwork(ApiReply.Begin(_web, response), _web.Editor.Current, _inForce);
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        public void PutFtp(HttpRequest request, HttpResponse response)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (!ApiReply.OpenBody(_web, request))
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            ValidationResult parsed = SettingsJson.ReadFtp(_web.Reader, draft.Ftp);
            if (Commit(response, draft, parsed, "FTP helper settings changed")) GetFtp(response);
        }

        public void PutNetwork(HttpRequest request, HttpResponse response)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (!ApiReply.OpenBody(_web, request))
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            uint oldLan = draft.LanAddress;
            int oldPrefix = draft.LanPrefixLength;
            bool moveHosts;
            ValidationResult parsed = SettingsJson.ReadNetwork(_web.Reader, draft, out moveHosts);
            if (parsed.IsValid && moveHosts) LanRenumbering.Move(draft, oldLan, oldPrefix);
            if (Commit(response, draft, parsed, "LAN/WAN settings changed")) GetNetwork(response);
        }

        private bool Commit(HttpResponse response, RouterConfig draft, ValidationResult parsed, string eventText)
        {
            if (_web.Reader.Failed)
            {
                ApiReply.Malformed(_web, response);
                return false;
            }
            ValidationResult result = parsed.IsValid ? _web.Editor.Commit(draft, eventText, response) : parsed;
            if (result.IsValid) return true;
            ApiReply.Invalid(_web, response, result);
            return false;
        }
    }
}
