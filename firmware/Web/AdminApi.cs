using Router.Config;

namespace Router.Web
{
    /// <summary>Backup download, restore, factory reset and reboot.</summary>
    public sealed class AdminApi
    {
        /// <summary>The reboot's event and answer, as static fields (an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string RebootEvent = "reboot requested";
        private static readonly string RebootMessage = "Rebooting: the page will need a reload in a few seconds.";

        private readonly WebContext _web;

        public AdminApi(WebContext web)
        {
            _web = web;
        }

        /// <summary>GET /api/backup: the configuration in force as a file (the admin password hash included).</summary>
        public void Backup(HttpResponse response)
        {
            int length = ConfigBackup.Write(_web.Editor.Current, response.Scratch);
            if (length < 0)
            {
                response.SendText(HttpStatus.InternalError, "backup too large for the buffer");
                return;
            }
            response.AddHeader("Content-Disposition: attachment; filename=\"router-config.bin\"");
            response.SendScratch(HttpStatus.Ok, "application/octet-stream", length);
        }

        /// <summary>POST /api/restore with the backup file as the body. The admin password in force is kept.</summary>
        public void Restore(HttpRequest request, HttpResponse response)
        {
            RouterConfig current = _web.Editor.Current;
            RouterConfig draft = _web.Editor.Draft();
            string problem = ConfigBackup.Read(request.Buffer, request.BodyOffset, request.BodyLength, draft);
            if (problem != null)
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "file", "the file " + problem);
                return;
            }
            draft.AdminHash = current.AdminHash;
            draft.AdminSalt = current.AdminSalt;
            ValidationResult result = _web.Editor.Commit(draft, "configuration restored from a backup", response);
            if (!result.IsValid)
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "file", "the backup holds settings this board rejects: " + result.ToString());
                return;
            }
            ApiReply.Ok(_web, response, null);
        }

        /// <summary>
        /// POST /api/factory-reset: defaults in force, every session ended, every login or password change in flight
        /// abandoned (its client gets 401), first-run setup again; the answer is held
        /// until the defaults are stored and the old slot erased (a 500 if the flash refuses them: the old settings are back).
        /// </summary>
        public void FactoryReset(HttpResponse response)
        {
            ValidationResult result = _web.Editor.FactoryReset(response);
            if (!result.IsValid)
            {
                ApiReply.Error(_web, response, HttpStatus.InternalError, null, result.Message); // the defaults did not fit the flash (or this board rejects them): nothing changed
                return;
            }
            _web.Sessions.EndAllExcept(-1);
            _web.Hasher.Cancel(); // a login or password change in flight was checked against the old credential: answered 401 (AuthApi)
            response.AddHeader(SessionTable.ClearCookieHeader);
            ApiReply.Ok(_web, response, null);
        }

        /// <summary>POST /api/reboot: flags the request; the board's main loop restarts the device.</summary>
        public void Reboot(HttpResponse response)
        {
            _web.RebootRequested = true;
            _web.Events.Add(_web.Now, RebootEvent);
            ApiReply.Ok(_web, response, RebootMessage);
        }
    }
}
