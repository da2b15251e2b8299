// Opsline media type for Zabbix 5.0 and later (type: Webhook). Paste this as
// the media type's script; docs/alerts.md lists its parameters. Zabbix runs it
// (in Duktape, ES5) for each problem, update and recovery of a trigger, and
// it posts one JSON object to Opsline's ingest URL:
//   {eventId, status: problem|update|resolved, name, severity, severityName,
//    host, hostName, hostIp, triggerId, startsAt, endsAt, tags, message, opdata, url}
// A non-2xx answer makes the script throw, so Zabbix retries it (the media
// type's Attempts / Attempt interval); Opsline answers 503 when it wants a retry.

/** A macro Zabbix could not resolve ("{EVENT.RECOVERY.DATE}" on a problem) counts as empty. */
function given(v) {
  if (v === undefined || v === null) return '';
  var s = String(v);
  return /^\{[A-Z0-9_.$]+\}$/.test(s) || /^\*UNKNOWN\*$/.test(s) ? '' : s;
}

/** {EVENT.DATE} "2026.01.31" and {EVENT.TIME} "14:05:09", in the Zabbix server's time zone, as ISO 8601. */
function isoTime(date, time) {
  var d = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(given(date));
  var t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(given(time));
  if (!d || !t) return undefined;
  return new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3])).toISOString();
}

/** {EVENT.TAGSJSON}: [{"tag": "...", "value": "..."}]. */
function tagsOf(json) {
  try {
    var list = JSON.parse(given(json) || '[]');
    var out = [];
    for (var i = 0; i < list.length; i++) {
      if (list[i] && list[i].tag) out.push({ tag: String(list[i].tag), value: String(list[i].value || '') });
    }
    return out;
  } catch (e) {
    Zabbix.log(4, '[Opsline webhook] {EVENT.TAGSJSON} unreadable, tags left out: ' + e);
    return [];
  }
}

function post(url, body) {
  // Zabbix 5.4+ has HttpRequest; 5.0 and 5.2 have CurlHttpRequest.
  if (typeof HttpRequest !== 'undefined') {
    var req = new HttpRequest();
    req.addHeader('Content-Type: application/json');
    var text = req.post(url, body);
    return { status: req.getStatus(), text: text };
  }
  var curl = new CurlHttpRequest();
  curl.AddHeader('Content-Type: application/json');
  var answer = curl.Post(url, body);
  return { status: curl.Status(), text: answer };
}

try {
  var p = JSON.parse(value);
  if (!given(p.opsline_url)) throw 'the parameter opsline_url is empty: set it to https://<opsline>/api/v1/integrations/<key>/zabbix';
  var status = given(p.event_update_status) === '1' ? 'update' : given(p.event_value) === '0' ? 'resolved' : 'problem';
  var zabbixUrl = given(p.zabbix_url).replace(/\/+$/, '');
  var payload = {
    eventId: given(p.event_id),
    status: status,
    name: given(p.event_name) || given(p.alert_subject) || 'Zabbix problem',
    severity: given(p.event_nseverity) || undefined,
    severityName: given(p.event_severity) || undefined,
    host: given(p.host_host) || undefined,
    hostName: given(p.host_name) || undefined,
    hostIp: given(p.host_ip) || undefined,
    triggerId: given(p.trigger_id) || undefined,
    startsAt: isoTime(p.event_date, p.event_time),
    endsAt: status === 'resolved' ? isoTime(p.event_recovery_date, p.event_recovery_time) : undefined,
    tags: tagsOf(p.event_tags),
    message: given(p.alert_message) || undefined,
    opdata: given(p.event_opdata) || undefined,
    url: zabbixUrl && given(p.trigger_id) ? zabbixUrl + '/tr_events.php?triggerid=' + given(p.trigger_id) + '&eventid=' + given(p.event_id) : undefined,
  };
  var res = post(given(p.opsline_url), JSON.stringify(payload));
  if (res.status < 200 || res.status >= 300) throw 'Opsline answered ' + res.status + ': ' + String(res.text).substring(0, 500);
  return 'OK';
} catch (error) {
  Zabbix.log(3, '[Opsline webhook] ' + error);
  throw 'Sending to Opsline failed: ' + error;
}
