namespace Router.Web
{
    /// <summary>
    /// The whole web UI: one HTML page, its stylesheet and its script, stored as string constants in firmware (no
    /// internet needed). <see cref="StaticFiles"/> encodes each once at start. The script talks to the JSON API only.
    /// </summary>
    public static class WebAssets
    {
        public const string IndexHtml = @"<!doctype html>
<html lang=""en""><head><meta charset=""utf-8""><meta name=""viewport"" content=""width=device-width,initial-scale=1"">
<title>Router</title><link rel=""stylesheet"" href=""/app.css""></head>
<body>
<header><span class=""brand"">Router</span><nav id=""nav"" hidden>
<a href=""#status"" data-tab=""status"">Status</a><a href=""#forwarding"" data-tab=""forwarding"">Forwarding</a><a href=""#ftp"" data-tab=""ftp"">FTP helper</a><a href=""#network"" data-tab=""network"">LAN / WAN</a><a href=""#admin"" data-tab=""admin"">Admin</a>
<button id=""logout"" class=""link"">Log out</button></nav></header>
<main>
<section id=""auth"" class=""card narrow"" hidden>
<h1 id=""auth-title"">Log in</h1><p id=""auth-hint"" class=""muted""></p>
<form id=""auth-form"" novalidate>
<label>Password<input type=""password"" data-f=""password"" autocomplete=""current-password""><small class=""err""></small></label>
<label id=""confirm-row"" hidden>Repeat password<input type=""password"" data-f=""confirm"" autocomplete=""new-password""><small class=""err""></small></label>
<p class=""err form-err""></p><button type=""submit"">Continue</button></form></section>

<section id=""status"" class=""tab"" hidden>
<div class=""grid"">
<div class=""card""><h2>WAN</h2><dl id=""st-wan""></dl></div>
<div class=""card""><h2>LAN</h2><dl id=""st-lan""></dl></div>
<div class=""card""><h2>System</h2><dl id=""st-sys""></dl></div>
<div class=""card""><h2>FTP helper</h2><dl id=""st-ftp""></dl></div>
</div>
<div class=""card""><h2>Traffic</h2><dl id=""st-traffic"" class=""cols""></dl><h3>Drops</h3><dl id=""st-drops"" class=""cols""></dl></div>
<div class=""card""><h2>Recent events</h2><ol id=""st-events"" class=""events""></ol></div>
</section>

<section id=""forwarding"" class=""tab"" hidden>
<div class=""card""><div class=""row""><h2>Port forwards</h2><button id=""fw-add"">Add forward</button></div>
<div class=""scroll""><table><thead><tr><th>On</th><th>Name</th><th>Protocol</th><th>External</th><th>Internal host</th><th>Internal port</th><th>Allowed source</th><th></th></tr></thead><tbody id=""fw-list""></tbody></table></div>
<form id=""fw-form"" class=""editor"" novalidate hidden><h3 id=""fw-title"">Add forward</h3>
<div class=""fields"">
<label>Name<input data-f=""name"" maxlength=""32""><small class=""err""></small></label>
<label>Protocol<select data-f=""protocol""><option value=""tcp"">TCP</option><option value=""udp"">UDP</option><option value=""both"">TCP and UDP</option></select><small class=""err""></small></label>
<label>External port<input data-f=""externalPort"" inputmode=""numeric""><small class=""err""></small></label>
<label>External port (range end, optional)<input data-f=""externalPortEnd"" inputmode=""numeric""><small class=""err""></small></label>
<label>Internal host<input data-f=""internalAddress"" placeholder=""192.168.1.50""><small class=""err""></small></label>
<label>Internal port<input data-f=""internalPort"" inputmode=""numeric""><small class=""err""></small></label>
<label>Allowed source (optional)<input data-f=""allowedSource"" placeholder=""any, or 198.51.100.0/24""><small class=""err""></small></label>
<label class=""check""><input type=""checkbox"" data-f=""enabled"" checked> Enabled</label>
</div><p class=""err form-err""></p><button type=""submit"">Save</button> <button type=""button"" class=""secondary cancel"">Cancel</button></form></div>

<div class=""card""><div class=""row""><h2>Port triggers</h2><button id=""tr-add"">Add trigger</button></div>
<div class=""scroll""><table><thead><tr><th>On</th><th>Name</th><th>Trigger</th><th>Opens</th><th>Idle timeout</th><th>Held by</th><th></th></tr></thead><tbody id=""tr-list""></tbody></table></div>
<form id=""tr-form"" class=""editor"" novalidate hidden><h3 id=""tr-title"">Add trigger</h3>
<div class=""fields"">
<label>Name<input data-f=""name"" maxlength=""32""><small class=""err""></small></label>
<label>Trigger protocol<select data-f=""triggerProtocol""><option value=""tcp"">TCP</option><option value=""udp"">UDP</option><option value=""both"">TCP and UDP</option></select><small class=""err""></small></label>
<label>Trigger port<input data-f=""triggerPort"" inputmode=""numeric""><small class=""err""></small></label>
<label>Trigger port (range end, optional)<input data-f=""triggerPortEnd"" inputmode=""numeric""><small class=""err""></small></label>
<label>Open protocol<select data-f=""openProtocol""><option value=""tcp"">TCP</option><option value=""udp"">UDP</option><option value=""both"">TCP and UDP</option></select><small class=""err""></small></label>
<label>Open port<input data-f=""openPort"" inputmode=""numeric""><small class=""err""></small></label>
<label>Open port (range end, optional)<input data-f=""openPortEnd"" inputmode=""numeric""><small class=""err""></small></label>
<label>Idle timeout (seconds)<input data-f=""idleTimeoutSeconds"" inputmode=""numeric"" value=""600""><small class=""err""></small></label>
<label class=""check""><input type=""checkbox"" data-f=""enabled"" checked> Enabled</label>
</div><p class=""err form-err""></p><button type=""submit"">Save</button> <button type=""button"" class=""secondary cancel"">Cancel</button></form></div>
</section>

<section id=""ftp"" class=""tab"" hidden><div class=""card narrow""><h2>FTP helper</h2>
<p class=""muted"">Lets active and passive FTP work through NAT by opening the data connections the control connection announces.</p>
<form id=""ftp-form"" novalidate>
<label class=""check""><input type=""checkbox"" data-f=""enabled""> Enabled</label>
<label>Control ports (comma separated)<input data-f=""controlPorts"" placeholder=""21""><small class=""err""></small></label>
<label>Expectation timeout (seconds)<input data-f=""expectationTimeoutSeconds"" inputmode=""numeric""><small class=""err""></small></label>
<p class=""err form-err""></p><p class=""ok""></p><button type=""submit"">Save</button></form></div></section>

<section id=""network"" class=""tab"" hidden><div class=""card narrow""><h2>LAN and WAN</h2>
<form id=""net-form"" novalidate>
<h3>LAN</h3>
<label>Router address<input data-f=""lanAddress""><small class=""err""></small></label>
<label>Prefix length<input data-f=""lanPrefixLength"" inputmode=""numeric""><small class=""err""></small></label>
<h3>DHCP server</h3>
<label class=""check""><input type=""checkbox"" data-f=""dhcp.enabled""> Hand out addresses on the LAN</label>
<div class=""fields"">
<label>Pool start<input data-f=""dhcp.poolStart""><small class=""err""></small></label>
<label>Pool end<input data-f=""dhcp.poolEnd""><small class=""err""></small></label>
<label>DNS 1 (empty: the WAN's)<input data-f=""dhcp.dns1""><small class=""err""></small></label>
<label>DNS 2<input data-f=""dhcp.dns2""><small class=""err""></small></label>
<label>Lease time (seconds)<input data-f=""dhcp.leaseSeconds"" inputmode=""numeric""><small class=""err""></small></label>
</div>
<div class=""row""><h4>Reservations</h4><button type=""button"" id=""res-add"" class=""small secondary"">Add reservation</button></div>
<table class=""res""><thead><tr><th>MAC address</th><th>Address</th><th></th></tr></thead><tbody id=""dhcp-res""></tbody></table>
<p id=""res-hint"" class=""muted""></p>
<h3>WAN</h3>
<label>Mode<select data-f=""wanMode""><option value=""dhcp"">DHCP</option><option value=""static"">Static</option></select><small class=""err""></small></label>
<label>Address<input data-f=""wanAddress""><small class=""err""></small></label>
<label>Prefix length<input data-f=""wanPrefixLength"" inputmode=""numeric""><small class=""err""></small></label>
<label>Gateway<input data-f=""wanGateway""><small class=""err""></small></label>
<label>Primary DNS<input data-f=""primaryDns""><small class=""err""></small></label>
<label>Secondary DNS<input data-f=""secondaryDns""><small class=""err""></small></label>
<label>MTU<input data-f=""wanMtu"" inputmode=""numeric""><small class=""err""></small></label>
<p class=""err form-err""></p><p class=""ok""></p><button type=""submit"">Save</button></form></div></section>

<section id=""admin"" class=""tab"" hidden>
<div class=""card narrow""><h2>Change password</h2><form id=""pw-form"" novalidate>
<label>Current password<input type=""password"" data-f=""current"" autocomplete=""current-password""><small class=""err""></small></label>
<label>New password<input type=""password"" data-f=""password"" autocomplete=""new-password""><small class=""err""></small></label>
<p class=""err form-err""></p><p class=""ok""></p><button type=""submit"">Change password</button></form></div>
<div class=""card narrow""><h2>Configuration</h2>
<p><button id=""backup"" type=""button"">Download backup</button></p>
<form id=""restore-form"" novalidate><label>Restore from a backup file<input type=""file"" data-f=""file"" accept="".bin,application/octet-stream""><small class=""err""></small></label>
<p class=""err form-err""></p><p class=""ok""></p><button type=""submit"">Restore</button></form></div>
<div class=""card narrow""><h2>Device</h2><p class=""ok"" id=""device-ok""></p><p class=""err"" id=""device-err""></p>
<button id=""reboot"" type=""button"" class=""secondary"">Reboot</button> <button id=""reset"" type=""button"" class=""danger"">Factory reset</button></div>
</section>
</main>
<script src=""/app.js""></script>
</body></html>
";

        public const string AppCss = @":root{--fg:#1d2330;--muted:#5f6b7a;--bg:#f3f5f8;--card:#fff;--line:#dde2e9;--accent:#1f6feb;--err:#c62828;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,""Segoe UI"",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.7rem 1rem;background:#14213d;color:#fff}
.brand{font-weight:700;letter-spacing:.02em}
nav{display:flex;flex-wrap:wrap;gap:.25rem;align-items:center}
nav a{color:#cfd8e6;text-decoration:none;padding:.35rem .6rem;border-radius:6px}
nav a.active,nav a:hover{background:#ffffff22;color:#fff}
main{max-width:1040px;margin:0 auto;padding:1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin-bottom:1rem}
.narrow{max-width:560px}
h1,h2{margin:.1rem 0 .8rem;font-size:1.15rem}h3{font-size:1rem;margin:1rem 0 .5rem}h4{font-size:.95rem;margin:.6rem 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .8rem;margin:0}dt{color:var(--muted)}dd{margin:0;font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}
dl.cols{grid-template-columns:repeat(auto-fill,minmax(150px,auto) minmax(60px,1fr))}
.events{margin:0;padding-left:1.2rem;font-size:.92rem}.events li{padding:.1rem 0}.events time{color:var(--muted);margin-right:.5rem}
label{display:block;margin:.55rem 0;font-weight:500}
input,select{display:block;width:100%;margin-top:.25rem;padding:.5rem .6rem;font:inherit;border:1px solid #c4ccd6;border-radius:6px;background:#fff}
input[aria-invalid=true]{border-color:var(--err);background:#fff6f6}
label.check{display:flex;align-items:center;gap:.5rem}label.check input{width:auto;margin:0}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:0 1rem}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#e8ecf2;color:var(--fg)}button.danger{background:var(--err)}button:disabled{opacity:.5;cursor:default}
button.link{background:none;color:#cfd8e6;padding:.35rem .6rem}button.small{padding:.25rem .6rem;font-size:.85rem}
.row{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
.scroll{overflow-x:auto}table{width:100%;border-collapse:collapse;font-size:.93rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}th{color:var(--muted);font-weight:600}
td.actions{text-align:right}td.actions button{margin-left:.3rem}
table.res th,table.res td{padding:.3rem .4rem .3rem 0;vertical-align:top;white-space:normal}table.res td.actions{width:1%;padding-right:0}
table.res th:first-child{width:52%}table.res input{margin:0;padding:.45rem .5rem;font-size:.93rem}table.res td.actions button{margin:.3rem 0 0 .2rem}#res-hint{margin:.3rem 0 0;font-size:.9rem}
.editor{border-top:1px solid var(--line);margin-top:1rem;padding-top:.5rem}
.err{color:var(--err);font-size:.86rem;font-weight:500;display:block;min-height:0}.ok{color:var(--ok)}
.muted{color:var(--muted)}.empty{color:var(--muted);text-align:center}
@media (max-width:600px){main{padding:.5rem}.card{padding:.8rem}header{padding:.6rem}nav a{padding:.3rem .45rem}table.res input{font-size:.85rem;padding:.4rem}}
";

        public const string AppJs = @"""use strict"";
var csrf = """", timer = 0, forwards = [], triggers = [], editing = -1, reservationCapacity = 0;
function $(s, r) { return (r || document).querySelector(s); }
function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

async function api(method, path, body, raw) {
  var opts = { method: method, headers: {}, credentials: ""same-origin"" };
  if (method !== ""GET"") opts.headers[""X-CSRF-Token""] = csrf;
  if (body !== undefined) {
    opts.headers[""Content-Type""] = raw ? ""application/octet-stream"" : ""application/json"";
    opts.body = raw ? body : JSON.stringify(body);
  }
  var res = await fetch(path, opts);
  var data = {};
  if ((res.headers.get(""Content-Type"") || """").indexOf(""json"") >= 0) data = await res.json();
  if (res.status === 401 && path !== ""/api/login"") { showAuth(false); throw new Error(""login needed""); }
  data.status = res.status;
  return data;
}

// Errors: a field path from the server (""forwards[2].externalPort"", ""ftp.controlPorts[1]"") goes next to its input.
function clearErrors(form) {
  $$("".err"", form).forEach(function (e) { e.textContent = """"; });
  $$("".ok"", form).forEach(function (e) { e.textContent = """"; });
  $$(""[aria-invalid]"", form).forEach(function (e) { e.removeAttribute(""aria-invalid""); });
}
function showError(form, data) {
  var name = (data.field || """").replace(/^(forwards|triggers)\[\d+\]\./, """").replace(/^ftp\./, """").replace(/\[\d+\]$/, """");
  if (name === ""allowedSourcePrefixLength"") name = ""allowedSource"";
  var row = /^dhcp\.reservations\[(\d+)\]\.(\w+)$/.exec(data.field || """"), tr = row && $$(""#dhcp-res tr"", form)[+row[1]];
  var input = tr ? $(""[data-r="" + row[2] + ""]"", tr) : name && $('[data-f=""' + name + '""]', form);
  if (input && input.parentNode.querySelector("".err"")) {
    input.setAttribute(""aria-invalid"", ""true"");
    input.parentNode.querySelector("".err"").textContent = data.error;
    input.focus();
  } else {
    $("".form-err"", form).textContent = data.error || (""request failed ("" + data.status + "")"");
  }
}
function readForm(form) {
  var o = {};
  $$(""[data-f]"", form).forEach(function (i) { o[i.dataset.f] = i.type === ""checkbox"" ? i.checked : i.value.trim(); });
  return o;
}
function fillForm(form, o) {
  $$(""[data-f]"", form).forEach(function (i) {
    var v = o[i.dataset.f];
    if (i.type === ""checkbox"") i.checked = !!v; else if (i.type !== ""file"") i.value = v === undefined || v === null ? """" : v;
  });
}

function showAuth(setup) {
  clearInterval(timer);
  $(""#nav"").hidden = true;
  $$("".tab"").forEach(function (t) { t.hidden = true; });
  $(""#auth"").hidden = false;
  $(""#auth-title"").textContent = setup ? ""Set the admin password"" : ""Log in"";
  $(""#auth-hint"").textContent = setup ? ""First start: choose the password that protects these settings (at least 8 characters)."" : """";
  $(""#confirm-row"").hidden = !setup;
  $(""#auth-form"").dataset.setup = setup ? ""1"" : """";
  clearErrors($(""#auth-form""));
  $('#auth-form [data-f=""password""]').focus();
}
async function start() {
  var s = await api(""GET"", ""/api/session"");
  if (s.setup) return showAuth(true);
  if (!s.loggedIn) return showAuth(false);
  csrf = s.csrf;
  $(""#auth"").hidden = true;
  $(""#nav"").hidden = false;
  route();
}
function route() {
  var tab = (location.hash || ""#status"").slice(1);
  if (!$(""#"" + tab + "".tab"")) tab = ""status"";
  $$("".tab"").forEach(function (t) { t.hidden = t.id !== tab; });
  $$(""nav a"").forEach(function (a) { a.classList.toggle(""active"", a.dataset.tab === tab); });
  clearInterval(timer);
  if (tab === ""status"") { loadStatus(); timer = setInterval(loadStatus, 2000); }
  if (tab === ""forwarding"") loadRules();
  if (tab === ""ftp"") loadSimple(""/api/ftp"", $(""#ftp-form""));
  if (tab === ""network"") loadSimple(""/api/network"", $(""#net-form""), fillNetwork);
}

function dl(target, pairs) {
  var d = $(target); d.textContent = """";
  pairs.forEach(function (p) { d.appendChild(el(""dt"", p[0])); d.appendChild(el(""dd"", String(p[1]))); });
}
function duration(s) {
  var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + ""d "" : """") + (d || h ? h + ""h "" : """") + m + ""m "" + (s % 60) + ""s"";
}
function bytes(n) { return n < 1024 ? n + "" B"" : n < 1048576 ? (n / 1024).toFixed(1) + "" KiB"" : (n / 1048576).toFixed(1) + "" MiB""; }
async function loadStatus() {
  var s = await api(""GET"", ""/api/status"");
  dl(""#st-wan"", [[""Address"", s.wan.address + ""/"" + s.wan.prefixLength], [""Gateway"", s.wan.gateway], [""Mode"", s.wan.mode]]);
  dl(""#st-lan"", [[""Address"", s.lan.address + ""/"" + s.lan.prefixLength], [""Forwards"", s.forwards], [""Triggers"", s.triggers]]);
  dl(""#st-sys"", [[""Uptime"", duration(s.uptimeSeconds)], [""Connections"", s.conntrack.used + "" / "" + s.conntrack.capacity], [""Board"", s.board]]);
  dl(""#st-ftp"", s.ftp.map(function (c) { return [c.name.replace(/_/g, "" ""), c.value]; }));
  var c = s.counters;
  dl(""#st-traffic"", [[""Packets in"", c.frames_received], [""Packets out"", c.frames_sent], [""Bytes in"", bytes(c.bytes_received)], [""Bytes out"", bytes(c.bytes_sent)], [""Forwarded"", c.forwarded], [""To the router"", c.consumed], [""Dropped"", s.dropped]]);
  dl(""#st-drops"", Object.keys(c).filter(function (k) { return k.indexOf(""drop_"") === 0 && c[k] > 0; }).map(function (k) { return [k.slice(5).replace(/_/g, "" ""), c[k]]; }));
  if (!$(""#st-drops"").children.length) $(""#st-drops"").appendChild(el(""dt"", ""none""));
  var ol = $(""#st-events""); ol.textContent = """";
  s.events.forEach(function (e) { var li = el(""li""); li.appendChild(el(""time"", duration(e.t))); li.appendChild(document.createTextNode(e.text)); ol.appendChild(li); });
}

function protoName(p) { return p === ""both"" ? ""TCP+UDP"" : p.toUpperCase(); }
function range(a, b) { return b && b !== a ? a + ""-"" + b : String(a); }
function actions(row, kind, i, rule) {
  var td = el(""td"", undefined, ""actions"");
  var toggle = el(""button"", rule.enabled ? ""Disable"" : ""Enable"", ""small secondary"");
  toggle.onclick = async function () { var r = Object.assign({}, rule, { enabled: !rule.enabled }); await saveRule(kind, i, r, null); };
  var edit = el(""button"", ""Edit"", ""small secondary"");
  edit.onclick = function () { openEditor(kind, i); };
  var del = el(""button"", ""Delete"", ""small danger"");
  del.onclick = async function () { if (confirm(""Delete '"" + rule.name + ""'?"")) { await api(""DELETE"", ""/api/"" + kind + ""/"" + i); loadRules(); } };
  td.appendChild(toggle); td.appendChild(edit); td.appendChild(del); row.appendChild(td);
}
async function loadRules() {
  var f = await api(""GET"", ""/api/forwards""), t = await api(""GET"", ""/api/triggers"");
  forwards = f.forwards; triggers = t.triggers;
  var body = $(""#fw-list""); body.textContent = """";
  forwards.forEach(function (r, i) {
    var tr = el(""tr"");
    [r.enabled ? ""\u2713"" : ""\u2013"", r.name, protoName(r.protocol), range(r.externalPort, r.externalPortEnd), r.internalAddress, r.internalPort, r.allowedSource || ""any""]
      .forEach(function (v) { tr.appendChild(el(""td"", String(v))); });
    actions(tr, ""forwards"", i, r); body.appendChild(tr);
  });
  if (!forwards.length) { var e = el(""tr""); var td = el(""td"", ""No port forwards yet ("" + f.capacity + "" fit this board)."", ""empty""); td.colSpan = 8; e.appendChild(td); body.appendChild(e); }
  body = $(""#tr-list""); body.textContent = """";
  triggers.forEach(function (r, i) {
    var tr = el(""tr"");
    [r.enabled ? ""\u2713"" : ""\u2013"", r.name, protoName(r.triggerProtocol) + "" "" + range(r.triggerPort, r.triggerPortEnd), protoName(r.openProtocol) + "" "" + range(r.openPort, r.openPortEnd), r.idleTimeoutSeconds + "" s"", r.heldBy ? r.heldBy + "" ("" + r.secondsLeft + "" s)"" : ""nobody""]
      .forEach(function (v) { tr.appendChild(el(""td"", String(v))); });
    actions(tr, ""triggers"", i, r); body.appendChild(tr);
  });
  if (!triggers.length) { var e2 = el(""tr""); var td2 = el(""td"", ""No port triggers yet ("" + t.capacity + "" fit this board)."", ""empty""); td2.colSpan = 7; e2.appendChild(td2); body.appendChild(e2); }
}
function formOf(kind) { return kind === ""forwards"" ? $(""#fw-form"") : $(""#tr-form""); }
function openEditor(kind, i) {
  var form = formOf(kind), list = kind === ""forwards"" ? forwards : triggers;
  editing = i; clearErrors(form);
  form.reset();
  if (i >= 0) fillForm(form, list[i]);
  $(""h3"", form).textContent = (i >= 0 ? ""Edit "" : ""Add "") + (kind === ""forwards"" ? ""forward"" : ""trigger"");
  form.hidden = false;
  $(""[data-f=name]"", form).focus();
}
async function saveRule(kind, i, rule, form) {
  var r = i >= 0 ? await api(""PUT"", ""/api/"" + kind + ""/"" + i, rule) : await api(""POST"", ""/api/"" + kind, rule);
  if (r.status !== 200) { if (form) showError(form, r); else alert(r.error); return false; }
  if (form) form.hidden = true;
  await loadRules();
  return true;
}
[""forwards"", ""triggers""].forEach(function (kind) {
  var form = formOf(kind);
  form.addEventListener(""submit"", function (ev) { ev.preventDefault(); clearErrors(form); saveRule(kind, editing, readForm(form), form); });
  $("".cancel"", form).onclick = function () { form.hidden = true; };
});
$(""#fw-add"").onclick = function () { openEditor(""forwards"", -1); };
$(""#tr-add"").onclick = function () { openEditor(""triggers"", -1); };

async function loadSimple(path, form, fill) { clearErrors(form); (fill || fillForm)(form, await api(""GET"", path)); }
function simpleForm(form, path, read, fill) {
  form.addEventListener(""submit"", async function (ev) {
    ev.preventDefault(); clearErrors(form);
    var r = await api(""PUT"", path, (read || readForm)(form));
    if (r.status !== 200) return showError(form, r);
    (fill || fillForm)(form, r); $("".ok"", form).textContent = ""Saved and applied."";
  });
}

// LAN/WAN: ""dhcp.x"" inputs go into the dhcp object; reservations come from their table rows in order, so the
// server's ""dhcp.reservations[i].mac"" names row i.
function readNetwork(form) {
  var o = readForm(form), d = { reservations: [] };
  Object.keys(o).forEach(function (k) { if (k.indexOf(""dhcp."") === 0) { d[k.slice(5)] = o[k]; delete o[k]; } });
  $$(""#dhcp-res tr"").forEach(function (tr) { d.reservations.push({ mac: $(""[data-r=mac]"", tr).value.trim(), address: $(""[data-r=address]"", tr).value.trim() }); });
  o.dhcp = d;
  return o;
}
function fillNetwork(form, o) {
  Object.keys(o.dhcp).forEach(function (k) { o[""dhcp."" + k] = o.dhcp[k]; });
  fillForm(form, o);
  reservationCapacity = o.dhcp.reservationCapacity;
  $(""#dhcp-res"").textContent = """";
  o.dhcp.reservations.forEach(function (r) { addReservation(r); });
  reservationsChanged();
}
function addReservation(r) {
  var tr = el(""tr""), td = el(""td"", undefined, ""actions""), del = el(""button"", ""\u2715"", ""small secondary"");
  [[""mac"", ""aa:bb:cc:dd:ee:ff"", ""MAC address""], [""address"", ""192.168.1.50"", ""Reserved address""]].forEach(function (f) {
    var cell = el(""td""), input = el(""input"");
    input.dataset.r = f[0]; input.value = r[f[0]] || """"; input.placeholder = f[1]; input.setAttribute(""aria-label"", f[2]);
    cell.appendChild(input); cell.appendChild(el(""small"", undefined, ""err"")); tr.appendChild(cell);
  });
  del.type = ""button""; del.title = ""Remove""; del.setAttribute(""aria-label"", ""Remove reservation"");
  del.onclick = function () { tr.remove(); reservationsChanged(); };
  td.appendChild(del); tr.appendChild(td); $(""#dhcp-res"").appendChild(tr);
}
function reservationsChanged() {
  var n = $$(""#dhcp-res tr"").length;
  $(""table.res"").hidden = !n;
  $(""#res-add"").disabled = n >= reservationCapacity;
  $(""#res-hint"").textContent = n ? n + "" of "" + reservationCapacity + "" used; a reserved device always gets its address."" : ""No reservations yet ("" + reservationCapacity + "" fit this board): every device gets an address from the pool."";
}
$(""#res-add"").onclick = function () { addReservation({}); reservationsChanged(); $(""#dhcp-res tr:last-child [data-r=mac]"").focus(); };
simpleForm($(""#ftp-form""), ""/api/ftp"");
simpleForm($(""#net-form""), ""/api/network"", readNetwork, fillNetwork);

$(""#auth-form"").addEventListener(""submit"", async function (ev) {
  ev.preventDefault();
  var form = ev.target, v = readForm(form), setup = form.dataset.setup === ""1"";
  clearErrors(form);
  if (setup && v.password !== v.confirm) return showError(form, { field: ""confirm"", error: ""the passwords differ"" });
  var r = await api(""POST"", setup ? ""/api/setup"" : ""/api/login"", { password: v.password });
  if (r.status !== 200) return showError(form, r);
  form.reset(); start();
});
$(""#logout"").onclick = async function () { await api(""POST"", ""/api/logout"", {}); csrf = """"; showAuth(false); };
$(""#pw-form"").addEventListener(""submit"", async function (ev) {
  ev.preventDefault(); var form = ev.target; clearErrors(form);
  var r = await api(""POST"", ""/api/password"", readForm(form));
  if (r.status !== 200) return showError(form, r);
  csrf = r.csrf; form.reset(); $("".ok"", form).textContent = ""Password changed; other sessions were logged out."";
});
$(""#backup"").onclick = async function () {
  var res = await fetch(""/api/backup"", { credentials: ""same-origin"" });
  var blob = await res.blob(), a = el(""a"");
  a.href = URL.createObjectURL(blob); a.download = ""router-config.bin""; document.body.appendChild(a); a.click(); a.remove();
};
$(""#restore-form"").addEventListener(""submit"", async function (ev) {
  ev.preventDefault(); var form = ev.target; clearErrors(form);
  var file = $(""[data-f=file]"", form).files[0];
  if (!file) return showError(form, { field: ""file"", error: ""choose a backup file"" });
  var r = await api(""POST"", ""/api/restore"", new Uint8Array(await file.arrayBuffer()), true);
  if (r.status !== 200) return showError(form, Object.assign(r, { field: ""file"" }));
  $("".ok"", form).textContent = ""Restored and applied."";
});
$(""#reboot"").onclick = async function () { if (confirm(""Reboot the router?"")) { var r = await api(""POST"", ""/api/reboot"", {}); $(""#device-ok"").textContent = r.message || """"; } };
$(""#reset"").onclick = async function () {
  if (!confirm(""Erase every setting, including the admin password?"")) return;
  var r = await api(""POST"", ""/api/factory-reset"", {});
  if (r.status === 200) showAuth(true); else $(""#device-err"").textContent = r.error;
};
window.addEventListener(""hashchange"", function () { if (csrf) route(); });
start();
";
    }
}
