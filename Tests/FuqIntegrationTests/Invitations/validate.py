#!/usr/bin/env python3
"""Checks the invitation fixtures: tokens substitute, every calendar parses (PyPI icalendar, and
libical 3 through ctypes when libical.so.3 is installed), and each NAME.expected.yaml agrees with
its file on the facts that need no judgement (UID, SEQUENCE, start/end, refusals, addresses).

    pip install icalendar pyyaml
    python3 validate.py [--shift DAYS] [--bad]

--shift moves "today" (the fixtures must pass on any day: try --shift 100 and --shift 250, which
cross DST changes). --bad also builds the bad inputs the Swift tests build (README.md) and prints
how each parser takes them (libical runs in a child process, as deep nesting may crash it).
"""
import base64, ctypes, ctypes.util, datetime as dt, email, email.policy, email.utils, pathlib, re
import subprocess, sys
import icalendar, yaml

HERE = pathlib.Path(__file__).resolve().parent
TOKEN = re.compile(r"\{\{([^}]*)\}\}")


def substitute(text, kind, today, now):
    """kind: 'ics' (dates YYYYMMDD) or 'yaml' (YYYY-MM-DD)."""
    def one(m):
        name = m.group(1)
        if d := re.fullmatch(r"D([+-]\d+)", name):
            day = today + dt.timedelta(days=int(d.group(1)))
            return day.strftime("%Y%m%d" if kind == "ics" else "%Y-%m-%d")
        if name == "NOW":
            return now.strftime("%Y%m%dT%H%M%SZ")
        if name == "MAILDATE":
            return email.utils.format_datetime(now)
        if inc := re.fullmatch(r"(INCLUDE|BASE64):(.+)", name):
            body = substitute((HERE / inc.group(2)).read_text("utf-8"), "ics", today, now)
            if inc.group(1) == "INCLUDE":
                return body.rstrip("\r\n")
            b = base64.b64encode(body.encode()).decode()
            return "\r\n".join(b[i:i + 76] for i in range(0, len(b), 76))
        raise SystemExit(f"unknown token {{{{{name}}}}}")
    return TOKEN.sub(one, text)


# ---- libical (the parser fuq will use) ----------------------------------------------------
class Tm(ctypes.Structure):
    _fields_ = [(n, ctypes.c_int) for n in ("year", "month", "day", "hour", "minute", "second", "is_date", "is_daylight")] + [("zone", ctypes.c_void_p)]

LIB = None
if path := ctypes.util.find_library("ical"):
    LIB = ctypes.CDLL(path)
    for name, res, args in [
        ("icalparser_parse_string", ctypes.c_void_p, [ctypes.c_char_p]),
        ("icalcomponent_free", None, [ctypes.c_void_p]),
        ("icalcomponent_isa", ctypes.c_int, [ctypes.c_void_p]),
        ("icalcomponent_count_errors", ctypes.c_int, [ctypes.c_void_p]),
        ("icalcomponent_get_first_component", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int]),
        ("icalcomponent_get_next_component", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int]),
        ("icalcomponent_get_dtstart", Tm, [ctypes.c_void_p]),
        ("icalcomponent_get_dtend", Tm, [ctypes.c_void_p]),
        ("icalcomponent_get_uid", ctypes.c_char_p, [ctypes.c_void_p]),
        ("icaltime_get_tzid", ctypes.c_char_p, [Tm]),
        ("icaltime_is_utc", ctypes.c_int, [Tm]),
        ("icaltime_as_timet_with_zone", ctypes.c_longlong, [Tm, ctypes.c_void_p]),
    ]:
        f = getattr(LIB, name); f.restype = res; f.argtypes = args
if LIB:
    LIB.icalcomponent_string_to_kind.restype = ctypes.c_int
    LIB.icalcomponent_string_to_kind.argtypes = [ctypes.c_char_p]
    VCALENDAR, VEVENT = (LIB.icalcomponent_string_to_kind(k) for k in (b"VCALENDAR", b"VEVENT"))  # 7, 4 in 3.0.16


def libical_events(text):
    """[(uid, tzid-or-None, start epoch, end epoch, floating)] and the X-LIC-ERROR count."""
    root = LIB.icalparser_parse_string(text.encode())
    if not root:
        return None, None
    try:
        cal = root if LIB.icalcomponent_isa(root) == VCALENDAR else LIB.icalcomponent_get_first_component(root, VCALENDAR)
        out, ev = [], LIB.icalcomponent_get_first_component(cal, VEVENT)
        while ev:
            s, e = LIB.icalcomponent_get_dtstart(ev), LIB.icalcomponent_get_dtend(ev)
            tz = LIB.icaltime_get_tzid(s)
            out.append((LIB.icalcomponent_get_uid(ev).decode(), tz.decode() if tz else None,
                        LIB.icaltime_as_timet_with_zone(s, s.zone), LIB.icaltime_as_timet_with_zone(e, e.zone),
                        not s.zone))
            ev = LIB.icalcomponent_get_next_component(cal, VEVENT)
        return out, LIB.icalcomponent_count_errors(root)
    finally:
        LIB.icalcomponent_free(root)


# ---- checks --------------------------------------------------------------------------------
def calendars_in(path, text):
    if path.suffix == ".ics":
        return [text]
    msg = email.message_from_bytes(text.encode(), policy=email.policy.default)
    found = [part.get_content() if part.get_content_type() == "text/calendar" else part.get_payload(decode=True).decode()
             for part in msg.walk() if part.get_content_type() in ("text/calendar", "application/ics")]
    assert len(found) == 2 and icalendar.Calendar.from_ical(found[0]) == icalendar.Calendar.from_ical(found[1]), "the eml's two copies differ"
    return found[:1]


def address(prop):
    value = str(prop)
    if value.lower().startswith("mailto:"):
        return value[7:]
    return prop.params.get("EMAIL")  # Apple: urn:uuid:… with EMAIL=


def wall(t):
    return t.strftime("%Y-%m-%dT%H:%M") + ("Z" if t.tzinfo and t.utcoffset() == dt.timedelta(0) and str(t.tzinfo) in ("UTC", "tzutc()") else "")


def check(path, today, now):
    text = substitute(path.read_text("utf-8"), "ics", today, now)
    expected_path = path.with_name(path.stem + ".expected.yaml")
    exp = yaml.safe_load(substitute(expected_path.read_text("utf-8"), "yaml", today, now))
    if "same_as" in exp:
        exp = yaml.safe_load(substitute((HERE / exp["same_as"]).read_text("utf-8"), "yaml", today, now))
    (cal_text,) = calendars_in(path, text)
    cal = icalendar.Calendar.from_ical(cal_text)
    events = [c for c in cal.walk("VEVENT")]
    problems = []
    uids = [str(e["UID"]) for e in events]
    want_uids = exp["uid"] if isinstance(exp["uid"], list) else [exp["uid"]]
    if uids != want_uids: problems.append(f"UID {uids} != {want_uids}")
    seq = max(int(e.get("SEQUENCE", 0)) for e in events)
    if "sequence" in exp and seq != exp["sequence"]: problems.append(f"SEQUENCE {seq} != {exp['sequence']}")
    refuse = exp.get("refuse")
    method = str(cal.get("METHOD", ""))
    actual_refusal = "cancel" if method == "CANCEL" else "recurring" if any("RRULE" in e for e in events) else None
    if (refuse or {}).get("reason") != actual_refusal: problems.append(f"refusal {actual_refusal} != {refuse}")
    if not refuse:
        starts = [e.decoded("DTSTART") for e in events]
        ends = [e.decoded("DTEND") if "DTEND" in e else e.decoded("DTSTART") + e.decoded("DURATION") for e in events]
        first, last = min(starts, key=lambda t: t.timestamp() if t.tzinfo else 0), max(ends, key=lambda t: t.timestamp() if t.tzinfo else 0)
        if (wall(first), wall(last)) != (exp["start"], exp["end"]):
            problems.append(f"start/end {wall(first)}..{wall(last)} != {exp['start']}..{exp['end']}")
        people = {address(a).lower(): a for e in events for a in (e.get("ATTENDEE") or []) if not isinstance(e.get("ATTENDEE"), str) and address(a)}
        for e in events:  # a single ATTENDEE is not a list
            if isinstance(e.get("ATTENDEE"), icalendar.prop.vCalAddress): people[address(e["ATTENDEE"]).lower()] = e["ATTENDEE"]
        organizers = {address(e["ORGANIZER"]).lower() for e in events if "ORGANIZER" in e}
        for who in exp["interviewers"] + ([exp["recruiter"]] if exp.get("recruiter") else []) + exp.get("left_out", []):
            if "email" in who and who["email"].lower() not in people and who["email"].lower() not in organizers:
                problems.append(f"{who['email']} is neither an attendee nor the organizer")
        named = {w["email"].lower() for w in exp["interviewers"] + exp.get("left_out", []) if "email" in w} | organizers
        missing = [a for a in people if a not in named]
        if missing: problems.append(f"attendees the expectation forgets: {missing}")
    lib = ""
    if LIB:
        evs, errors = libical_events(cal_text)
        if evs is None: problems.append("libical returned no component")
        else:
            lib = f"libical: {len(evs)} VEVENT, {errors} X-LIC-ERROR, " + "; ".join(
                f"TZID {tz!r}" if tz else ("floating" if fl else "UTC") for _, tz, _, _, fl in evs[:1])
            for (uid, tz, s, e, fl), ev in zip(evs, events):
                t = ev.decoded("DTSTART")
                if t.tzinfo and not fl and s != int(t.timestamp()):
                    problems.append(f"libical and icalendar disagree on DTSTART of {uid}: {s} vs {int(t.timestamp())}")
            # Empty values (Google's `LOCATION:`, Apple's `URL;VALUE=URI:`) are real and harmless:
            # libical 3.0.16 records each as X-LIC-ERROR "No value for … property". fuq must not
            # refuse a file for these; the expectation lists them under libical_errors.
            if errors != exp.get("libical_errors", 0):
                problems.append(f"libical reports {errors} X-LIC-ERROR properties, expected {exp.get('libical_errors', 0)}")
    return problems, f"{len(events)} VEVENT, METHOD {method or '-'}; {lib}"


BAD = {
    "truncated": lambda good: good[: len(good) * 3 // 5],
    "binary": lambda good: bytes(range(256)) * 64,
    "invalid-utf8": lambda good: good.replace(b"CN=Dana Rivera", b"CN=Dana Riv\xe9ra"),
    "nesting": lambda good: b"BEGIN:VCALENDAR\r\n" + b"BEGIN:X-A\r\n" * 200_000 + b"END:X-A\r\n" * 200_000 + b"END:VCALENDAR\r\n",
    "not-icalendar": lambda good: b"company: Acme\nposition: SRE\n",
}


def bad(today, now):
    good = substitute((HERE / "google-calendar.ics").read_text("utf-8"), "ics", today, now).encode()
    for name, make in BAD.items():
        data = make(good)
        try:
            cal = icalendar.Calendar.from_ical(data)
            ical = f"icalendar parses ({len(cal.walk('VEVENT'))} VEVENT)"
        except Exception as e:  # noqa: BLE001 — reporting what the library does
            ical = f"icalendar raises {type(e).__name__}"
        child = subprocess.run([sys.executable, __file__, "--libical-child"], input=data, capture_output=True, timeout=120)
        lib = child.stdout.decode().strip() or f"libical child died (exit {child.returncode})"
        print(f"  bad {name:14} {len(data):>8} bytes: {ical}; {lib}")


def libical_child():
    data = sys.stdin.buffer.read()
    evs, errors = libical_events(data.split(b"\0")[0].decode("utf-8", "replace"))
    print("libical: no component" if evs is None else f"libical: {len(evs)} VEVENT, {errors} X-LIC-ERROR")


def main():
    if "--libical-child" in sys.argv:
        return libical_child()
    shift = int(sys.argv[sys.argv.index("--shift") + 1]) if "--shift" in sys.argv else 0
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=shift)
    today = now.date()
    failed = 0
    print(f"icalendar {icalendar.__version__}; libical: {'yes' if LIB else 'not installed'}; today {today}")
    for path in sorted(HERE.glob("*.ics")) + sorted(HERE.glob("*.eml")):
        problems, summary = check(path, today, now)
        print(f"{'FAIL' if problems else 'ok  '} {path.name}: {summary}")
        for p in problems:
            print(f"       {p}")
        failed += bool(problems)
    if "--bad" in sys.argv:
        bad(today, now)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
