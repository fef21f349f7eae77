#!/usr/bin/python3
"""A minimal IMAP server that only takes SASL XOAUTH2, for fuq's integration tests. Loopback only.

  imap_xoauth2.py PORT CERT KEY USER TOKEN LOGFILE
      STARTTLS required (LOGINDISABLED before it); after TLS it offers only AUTH=XOAUTH2 and
      accepts "user=USER^Aauth=Bearer TOKEN^A^A". Answers LIST with INBOX and Sent (\\Sent).
      Each AUTHENTICATE's decoded initial response is appended to LOGFILE, one line each,
      ^A written as "|".

Serves one connection at a time; stops on SIGTERM/SIGKILL.
"""
import base64
import socket
import ssl
import sys

port, cert, key, user, token, logfile = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(port)))
listener.listen(4)


def serve(conn):
    stream = conn.makefile("rwb")
    tls = False

    def send(text):
        stream.write(text.encode() + b"\r\n")
        stream.flush()

    send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] fuq test server ready")
    while True:
        line = stream.readline()
        if not line:
            return
        parts = line.decode(errors="replace").rstrip("\r\n").split(" ")
        tag, command = parts[0], (parts[1].upper() if len(parts) > 1 else "")
        if command == "CAPABILITY":
            caps = "IMAP4rev1 SASL-IR AUTH=XOAUTH2" if tls else "IMAP4rev1 STARTTLS LOGINDISABLED"
            send("* CAPABILITY " + caps)
            send(tag + " OK done")
        elif command == "STARTTLS" and not tls:
            send(tag + " OK begin TLS")
            conn = context.wrap_socket(conn, server_side=True)
            stream = conn.makefile("rwb")
            tls = True
        elif command == "AUTHENTICATE" and tls and len(parts) > 2 and parts[2].upper() == "XOAUTH2":
            if len(parts) > 3:
                response = parts[3]
            else:
                send("+ ")
                response = stream.readline().decode().strip()
            decoded = base64.b64decode(response).decode(errors="replace")
            with open(logfile, "a") as log:
                log.write(decoded.replace("\x01", "|") + "\n")
            if decoded == "user=%s\x01auth=Bearer %s\x01\x01" % (user, token):
                send(tag + " OK [CAPABILITY IMAP4rev1] logged in")
            else:
                send(tag + " NO [AUTHENTICATIONFAILED] invalid token")
        elif command == "LIST":
            send('* LIST (\\HasNoChildren) "/" INBOX')
            send('* LIST (\\HasNoChildren \\Sent) "/" Sent')
            send(tag + " OK LIST done")
        elif command == "LOGOUT":
            send("* BYE")
            send(tag + " OK bye")
            return
        else:
            send(tag + " BAD not here")


print("ready", flush=True)
while True:
    connection, _ = listener.accept()
    try:
        serve(connection)
    except (OSError, ssl.SSLError, ValueError):
        pass
    finally:
        connection.close()
