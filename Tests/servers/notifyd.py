#!/usr/bin/python3
"""A freedesktop notification server for tests: owns org.freedesktop.Notifications on the
session bus given in DBUS_SESSION_BUS_ADDRESS and appends each Notify call to a JSON-lines file.

usage: notifyd.py RECORD.jsonl [--slow SECONDS] [--markup]
Prints "ready" once the name is owned. --slow makes each Notify answer that much later;
--markup says the server reads markup in bodies (the body-markup capability).
"""
import json
import sys
import time

import dbus
import dbus.service
import dbus.mainloop.glib
from gi.repository import GLib

record = sys.argv[1]
slow = float(sys.argv[sys.argv.index("--slow") + 1]) if "--slow" in sys.argv else 0.0
markup = "--markup" in sys.argv


class Notifications(dbus.service.Object):
    counter = 0

    @dbus.service.method("org.freedesktop.Notifications", in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        if slow:
            time.sleep(slow)
        Notifications.counter += 1
        urgency = hints.get("urgency")
        with open(record, "a") as f:
            f.write(json.dumps({"app": str(app), "summary": str(summary), "body": str(body),
                                "urgency": int(urgency) if urgency is not None else None,
                                "icon": str(icon), "timeout": int(timeout)}) + "\n")
        return dbus.UInt32(Notifications.counter)

    @dbus.service.method("org.freedesktop.Notifications", in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("fuq-test-notifyd", "fuq", "1.0", "1.2")

    @dbus.service.method("org.freedesktop.Notifications", in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body", "body-markup"] if markup else ["body"]


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName("org.freedesktop.Notifications", bus)
Notifications(bus, "/org/freedesktop/Notifications")
print("ready", flush=True)
GLib.MainLoop().run()
