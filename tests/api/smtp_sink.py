"""A local SMTP sink for the tests: the few commands a client sends
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), each message kept whole.
Written from RFC 5321 here, so the service's SMTP client (libcurl) is
checked against a server that is not its own.  A recipient whose address
begins with "reject" is refused with 550, as a relay refuses an unknown
mailbox."""

import email
import email.policy
import socketserver
import threading
import time


class SmtpSink:
    def __init__(self):
        self.messages = []  # (envelope from, [recipients], email.message.EmailMessage)
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 sink.test ESMTP")
                mail_from, rcpts = None, []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.decode("ascii", "replace").rstrip("\r\n")
                    verb = cmd[:4].upper()
                    if verb == "EHLO":
                        self.reply("250-sink.test")
                        self.reply("250 8BITMIME")
                    elif verb == "HELO":
                        self.reply("250 sink.test")
                    elif verb == "MAIL":
                        mail_from, rcpts = cmd[10:].strip().strip("<>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        to = cmd[8:].strip().strip("<>")
                        if to.startswith("reject"):
                            self.reply("550 5.1.1 no such mailbox")
                        else:
                            rcpts.append(to)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        data = []
                        while True:
                            d = self.rfile.readline()
                            if d in (b".\r\n", b""):
                                break
                            data.append(d[1:] if d.startswith(b"..") else d)
                        msg = email.message_from_bytes(b"".join(data),
                                                       policy=email.policy.default)
                        with sink.lock:
                            sink.messages.append((mail_from, rcpts, msg))
                        self.reply("250 OK queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 command not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.messages if predicate(m)]
            if found:
                return found
            time.sleep(0.05)
        return []
