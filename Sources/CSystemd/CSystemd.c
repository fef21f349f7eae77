#include "CSystemd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

static void describe(char *error, size_t size, const char *step, int r, const sd_bus_error *e) {
    if (!error || size == 0) return;
    if (e && sd_bus_error_is_set(e))
        snprintf(error, size, "%s: %s", step, e->message ? e->message : e->name);
    else
        snprintf(error, size, "%s: %s", step, strerror(-r));
}

static int open_bus(sd_bus **bus, uint64_t timeout_ms, char *error, size_t size) {
    int r = sd_bus_open_user(bus);
    if (r < 0) {
        describe(error, size, "no session bus", r, NULL);
        return r;
    }
    sd_bus_set_method_call_timeout(*bus, timeout_ms * 1000);
    return 0;
}

int fuq_desktop_notify(const char *app, const char *summary, const char *body, uint8_t urgency,
                       uint64_t timeout_ms, uint32_t *id, char *error, size_t error_size) {
    sd_bus *bus = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    int r = open_bus(&bus, timeout_ms, error, error_size);
    if (r < 0) return r;
    // Notify(app_name s, replaces_id u, app_icon s, summary s, body s, actions as, hints a{sv}, expire_timeout i)
    r = sd_bus_call_method(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                           "org.freedesktop.Notifications", "Notify", &e, &reply, "susssasa{sv}i",
                           app, (uint32_t)0, "mail-unread", summary, body, 0, 1, "urgency", "y", urgency, (int32_t)-1);
    if (r < 0) {
        describe(error, error_size, "Notify", r, &e);
    } else {
        uint32_t value = 0;
        r = sd_bus_message_read(reply, "u", &value);
        if (r < 0) describe(error, error_size, "Notify's answer", r, NULL);
        else if (id) *id = value;
    }
    sd_bus_error_free(&e);
    sd_bus_message_unref(reply);
    sd_bus_flush_close_unref(bus);
    return r < 0 ? r : 0;
}

int fuq_desktop_probe(uint64_t timeout_ms, char *info, size_t info_size, char *error, size_t error_size) {
    sd_bus *bus = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    int r = open_bus(&bus, timeout_ms, error, error_size);
    if (r < 0) return r;
    r = sd_bus_call_method(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                           "org.freedesktop.Notifications", "GetServerInformation", &e, &reply, "");
    if (r < 0) {
        describe(error, error_size, "no notification server", r, &e);
    } else {
        const char *name = NULL, *vendor = NULL, *version = NULL, *spec = NULL;
        r = sd_bus_message_read(reply, "ssss", &name, &vendor, &version, &spec);
        if (r < 0) describe(error, error_size, "GetServerInformation's answer", r, NULL);
        else if (info && info_size > 0) snprintf(info, info_size, "%s %s (%s)", name, version, vendor);
    }
    sd_bus_error_free(&e);
    sd_bus_message_unref(reply);
    sd_bus_flush_close_unref(bus);
    return r < 0 ? r : 0;
}

int fuq_desktop_capabilities(uint64_t timeout_ms, char *list, size_t list_size, char *error, size_t error_size) {
    sd_bus *bus = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    char **caps = NULL;
    int r = open_bus(&bus, timeout_ms, error, error_size);
    if (r < 0) return r;
    r = sd_bus_call_method(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                           "org.freedesktop.Notifications", "GetCapabilities", &e, &reply, "");
    if (r < 0) {
        describe(error, error_size, "GetCapabilities", r, &e);
    } else {
        r = sd_bus_message_read_strv(reply, &caps);
        if (r < 0) describe(error, error_size, "GetCapabilities' answer", r, NULL);
        else if (list && list_size > 0) {
            size_t used = 0;
            list[0] = 0;
            for (char **c = caps; c && *c; c++) {
                int n = snprintf(list + used, list_size - used, "%s%s", used ? " " : "", *c);
                if (n < 0 || (size_t)n >= list_size - used) break;
                used += (size_t)n;
            }
        }
    }
    if (caps) { for (char **c = caps; *c; c++) free(*c); free(caps); }
    sd_bus_error_free(&e);
    sd_bus_message_unref(reply);
    sd_bus_flush_close_unref(bus);
    return r < 0 ? r : 0;
}
