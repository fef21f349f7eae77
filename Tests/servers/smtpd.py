#!/usr/bin/python3
"""Test SMTP servers for fuq's integration tests and benchmarks. Loopback only.

  smtpd.py tls  PORT DUMPDIR CERT KEY USER PASSWORD
      aiosmtpd with STARTTLS required and AUTH required (after TLS). Each message is written
      to DUMPDIR/N.eml (the bytes as received, dot-unstuffed) and DUMPDIR/N.json (envelope,
      the client's source port — one port per connection — and the login used).
      Failed logins are counted in DUMPDIR/auth-failures.

  smtpd.py smtps PORT DUMPDIR CERT KEY USER PASSWORD
      the same, but TLS from the first byte (port-465 style) instead of STARTTLS.

  smtpd.py silent PORT
      accepts connections and never says a word (not even the greeting).

  smtpd.py hangup PORT
      a plain SMTP server that reads a whole message (up to the final ".") and then closes
      the connection without answering it. Counts messages it read in PORT.count (cwd).

  smtpd.py stall PORT STAGE
      a plain SMTP server that answers until STAGE and then says nothing more, keeping the
      connection open: "greeting" (not even the greeting), "rcpt" (no answer to RCPT), or
      "data" (354, then reads the whole message and never answers its final "."),
      "partial" (answers the final "." with "250-" lines, one a second, and never the last
      line), "hangup" (answers it with one "250-" line and closes) or "weird" (answers it
      "251 … queued" and closes). Counts the messages it
      read to the final "." in PORT.count (cwd).

  smtpd.py slow PORT DUMPDIR DELAY
      a plain SMTP server that answers the end of each message only after DELAY seconds.
      It writes DUMPDIR/N.started when a message's DATA begins and DUMPDIR/N.eml once it
      has the whole message (before the delayed reply).

Prints "ready" on stdout once it listens; stops on SIGTERM.
"""
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time


def serve_tls(port, dump, cert, key, user, password, implicit=False):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    lock = threading.Lock()
    counter = {"n": 0}

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        if not ok:
            with lock:
                path = os.path.join(dump, "auth-failures")
                count = int(open(path).read()) if os.path.exists(path) else 0
                open(path, "w").write(str(count + 1))
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with lock:
                counter["n"] += 1
                n = counter["n"]
            base = os.path.join(dump, "%04d" % n)
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content)
            login = session.auth_data if session.authenticated else None
            with open(base + ".json", "w") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                           "peer_port": session.peer[1], "login": login}, f)
            return "250 2.0.0 Ok: queued as T%04d" % n

    if implicit:
        controller = Controller(Handler(), hostname="127.0.0.1", port=port, ssl_context=context,
                                auth_required=True, auth_require_tls=False,
                                authenticator=authenticator, server_hostname="localhost")
    else:
        controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True, auth_required=True, auth_require_tls=True,
                                authenticator=authenticator, server_hostname="localhost")
    controller.start()
    return controller.stop


def serve_raw(port, session):
    """A plain TCP listener on 127.0.0.1:port calling session(conn) on a thread per connection."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=session, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.close


def serve_silent(port):
    held = []
    # Keep each connection open and say nothing.
    return serve_raw(port, held.append)


def serve_plain(port, name, on_data):
    """A plain SMTP dialogue on 127.0.0.1:port. At DATA, on_data(conn, lines) gets the message
    lines (dot-unstuffed, up to the final ".") after the 354; it returns the final reply, or None
    to hang up without one."""
    def session(conn):
        f = conn.makefile("rb")
        conn.sendall(b"220 %s test server\r\n" % name)
        while True:
            line = f.readline()
            if not line:
                break
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250 %s\r\n" % name)
            elif verb == b"DATA":
                def lines():
                    conn.sendall(b"354 go ahead\r\n")
                    while True:
                        l = f.readline()
                        if l in (b".\r\n", b""):
                            return
                        yield l[1:] if l.startswith(b"..") else l
                reply = on_data(conn, lines)
                if reply is None:
                    break  # the whole message is here; hang up without a word
                conn.sendall(reply)
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 ok\r\n")
        conn.close()

    return serve_raw(port, session)


def serve_hangup(port):
    def on_data(conn, lines):
        for _ in lines():
            pass
        with open("%d.count" % port, "a") as c:
            c.write("1\n")
        return None

    return serve_plain(port, b"hangup", on_data)


def serve_stall(port, stage):
    held = []

    def session(conn):
        held.append(conn)  # never closed by us: the client must give up on its own
        if stage == "greeting":
            return
        f = conn.makefile("rb")
        conn.sendall(b"220 stall test server\r\n")
        while True:
            line = f.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"RCPT" and stage == "rcpt":
                while f.readline():
                    pass  # read and say nothing
                return
            if verb == b"DATA" and stage in ("data", "partial", "hangup", "weird"):
                conn.sendall(b"354 go ahead\r\n")
                while True:
                    l = f.readline()
                    if l in (b".\r\n", b""):
                        break
                if l == b".\r\n":
                    with open("%d.count" % port, "a") as c:
                        c.write("1\n")
                if stage in ("hangup", "weird"):
                    # weird: an acceptance libcurl does not take for one (251), then gone.
                    conn.sendall(b"251 2.0.0 Ok: queued as X\r\n" if stage == "weird" else b"250-2.0.0 Ok\r\n")
                    conn.shutdown(socket.SHUT_RDWR)
                    conn.close()
                    return
                while stage == "partial":
                    try:
                        conn.sendall(b"250-still thinking\r\n")
                    except OSError:
                        return
                    time.sleep(1)
                while f.readline():
                    pass
                return
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250 stall\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 ok\r\n")

    return serve_raw(port, session)


def serve_slow(port, dump, delay):
    lock = threading.Lock()
    counter = {"n": 0}

    def on_data(conn, lines):
        with lock:
            counter["n"] += 1
            n = counter["n"]
        base = os.path.join(dump, "%04d" % n)
        open(base + ".started", "w").close()
        body = b"".join(lines())
        with open(base + ".eml", "wb") as out:
            out.write(body)
        time.sleep(delay)
        return b"250 2.0.0 Ok: queued as S%04d\r\n" % n

    return serve_plain(port, b"slow", on_data)


def main():
    # A parent may have spawned us with signals blocked (swift-testing's worker threads do);
    # SIGTERM must work.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "tls":
        stop = serve_tls(port, *sys.argv[3:8])
    elif mode == "smtps":
        stop = serve_tls(port, *sys.argv[3:8], implicit=True)
    elif mode == "silent":
        stop = serve_silent(port)
    elif mode == "hangup":
        stop = serve_hangup(port)
    elif mode == "stall":
        stop = serve_stall(port, sys.argv[3])
    elif mode == "slow":
        stop = serve_slow(port, sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit("unknown mode " + mode)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("ready", flush=True)
    while not done.wait(0.2):
        pass
    stop()


if __name__ == "__main__":
    main()
