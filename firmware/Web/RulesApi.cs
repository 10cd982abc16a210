using Router.Config;
using Router.Rules;

namespace Router.Web
{
    /// <summary>
    /// /api/forwards and /api/triggers: list (GET), add (POST), edit (PUT …/i), delete (DELETE …/i). Enable and disable
    /// are edits of the "enabled" field. Every change goes through <see cref="ConfigEditor.Commit"/>.
    /// </summary>
    public sealed class RulesApi
    {
        /// <summary>The lists' JSON names (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Names = new TextTable("capacity forwards triggers", ' ');
        private const int Capacity = 0, Forwards = 1, Triggers = 2;

        private readonly WebContext _web;
        private readonly StatusSnapshot _status;

        public RulesApi(WebContext web)
        {
            _web = web;
            _status = new StatusSnapshot(web.Firmware.Capacities.PortTriggers);
        }

        public void ListForwards(HttpResponse response)
        {
            RouterConfig c = _web.Editor.Current;
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(Names, Capacity, c.Forwards.Length);
            w.Name(Names, Forwards);
            w.BeginArray();
            for (int i = 0; i < c.ForwardCount; i++) RuleJson.WriteForward(w, c.Forwards[i]);
            w.EndArray();
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        public void ListTriggers(HttpResponse response)
        {
            RouterConfig c = _web.Editor.Current;
            _status.Capture(_web.Firmware);
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(Names, Capacity, c.Triggers.Length);
            w.Name(Names, Triggers);
            w.BeginArray();
            for (int i = 0; i < c.TriggerCount; i++)
            {
                bool known = i < _status.TriggerCount;
                RuleJson.WriteTrigger(w, c.Triggers[i], known ? _status.TriggerHolders[i] : 0, known ? _status.TriggerSecondsLeft[i] : 0);
            }
            w.EndArray();
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>Adds (index -1) or replaces forward <paramref name="index"/> from the request body.</summary>
        public void SaveForward(HttpRequest request, HttpResponse response, int index)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (index >= draft.ForwardCount)
            {
                ApiReply.Error(_web, response, HttpStatus.NotFound, null, "no such forward");
                return;
            }
            PortForward f = index < 0 ? draft.AddForward() : draft.Forwards[index];
            if (f == null)
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "name", "all " + draft.Forwards.Length.ToString() + " forward slots of this board are in use");
                return;
            }
            if (!ApiReply.OpenBody(_web, request))
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            ValidationResult parsed = RuleJson.ReadForward(_web.Reader, f);
            Commit(response, draft, parsed, (index < 0 ? "forward added: " : "forward changed: ") + f.Name);
        }

        public void SaveTrigger(HttpRequest request, HttpResponse response, int index)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (index >= draft.TriggerCount)
            {
                ApiReply.Error(_web, response, HttpStatus.NotFound, null, "no such trigger");
                return;
            }
            PortTrigger t = index < 0 ? draft.AddTrigger() : draft.Triggers[index];
            if (t == null)
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "name", "all " + draft.Triggers.Length.ToString() + " trigger slots of this board are in use");
                return;
            }
            if (!ApiReply.OpenBody(_web, request))
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            ValidationResult parsed = RuleJson.ReadTrigger(_web.Reader, t);
            Commit(response, draft, parsed, (index < 0 ? "trigger added: " : "trigger changed: ") + t.Name);
        }

        public void DeleteForward(HttpResponse response, int index)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (index >= draft.ForwardCount)
            {
                ApiReply.Error(_web, response, HttpStatus.NotFound, null, "no such forward");
                return;
            }
            string name = draft.Forwards[index].Name;
            draft.RemoveForwardAt(index);
            Commit(response, draft, ValidationResult.Valid, "forward deleted: " + name);
        }

        public void DeleteTrigger(HttpResponse response, int index)
        {
            RouterConfig draft = _web.Editor.Draft();
            if (index >= draft.TriggerCount)
            {
                ApiReply.Error(_web, response, HttpStatus.NotFound, null, "no such trigger");
                return;
            }
            string name = draft.Triggers[index].Name;
            draft.RemoveTriggerAt(index);
            Commit(response, draft, ValidationResult.Valid, "trigger deleted: " + name);
        }

        private void Commit(HttpResponse response, RouterConfig draft, ValidationResult parsed, string eventText)
        {
            if (_web.Reader.Failed)
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            ValidationResult result = parsed.IsValid ? _web.Editor.Commit(draft, eventText, response) : parsed;
            if (!result.IsValid)
            {
                ApiReply.Invalid(_web, response, result);
                return;
            }
            ApiReply.Ok(_web, response, null);
        }
    }
}
