#!/usr/bin/env python3
"""A --console-socket peer, as podman's conmon is one: listen on SOCKET,
take the terminal master nestbox-runc sends (SCM_RIGHTS), write INPUT to it
and copy what the container writes to OUTFILE until the terminal closes.

usage: console.py SOCKET OUTFILE INPUT
"""
import array
import os
import socket
import sys

path, out, text = sys.argv[1], sys.argv[2], sys.argv[3]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
server.settimeout(20)
# Ready: the test waits for the socket file before it runs create.
conn, _ = server.accept()
fds = array.array("i")
msg, ancdata, _, _ = conn.recvmsg(256, socket.CMSG_SPACE(fds.itemsize))
for level, kind, data in ancdata:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: fds.itemsize])
with open(out, "wb") as f:
    f.write(b"name:" + msg + b"\n")
    if not fds:
        sys.exit(2)
    master = fds[0]
    os.write(master, text.encode())
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every holder of the slave closed it
            break
        if not chunk:
            break
        f.write(chunk)
        f.flush()
