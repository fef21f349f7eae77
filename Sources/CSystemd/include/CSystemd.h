// CSystemd: the freedesktop Notifications call over sd-bus (Debian libsystemd-dev), for fuq's
// desktop channel. sd-bus builds messages with variadic calls, which Swift cannot make: these
// two typed functions do it in C.
#ifndef FUQ_CSYSTEMD_H
#define FUQ_CSYSTEMD_H

#include <stddef.h>
#include <stdint.h>

/// Shows one notification on the user's session bus (DBUS_SESSION_BUS_ADDRESS, else
/// $XDG_RUNTIME_DIR/bus): org.freedesktop.Notifications.Notify with the urgency hint
/// (0 low, 1 normal, 2 critical). Waits at most `timeout_ms` for the server's answer.
/// Returns 0 and the notification id, or a negative errno with a message in `error`.
int fuq_desktop_notify(const char *app, const char *summary, const char *body, uint8_t urgency,
                       uint64_t timeout_ms, uint32_t *id, char *error, size_t error_size);

/// Asks the notification server who it is (GetServerInformation; a D-Bus activatable server is
/// started by the call). Returns 0 with "name version (vendor)" in `info`, or a negative errno
/// with a message in `error`.
int fuq_desktop_probe(uint64_t timeout_ms, char *info, size_t info_size, char *error, size_t error_size);

/// The server's capabilities (GetCapabilities), space-separated in `list` ("body body-markup …").
/// Returns 0, or a negative errno with a message in `error`.
int fuq_desktop_capabilities(uint64_t timeout_ms, char *list, size_t list_size, char *error, size_t error_size);

#endif
