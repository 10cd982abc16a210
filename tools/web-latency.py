#!/usr/bin/env python3
"""Measures the web UI's request latency on one keep-alive connection, then again with slowloris clients holding
slots. Start the emulator first (fresh flash, so the first-run setup is open):
  dotnet run --project boards/emulator -- --http http://127.0.0.1:18080 --flash /tmp/m.bin --factory-reset --quiet
then: python3 tools/web-latency.py 18080"""
import http.client, json, socket, sys, time

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
c = http.client.HTTPConnection("127.0.0.1", port)
start = time.perf_counter()
c.request("POST", "/api/setup", body=json.dumps({"password": "measure me 123"}), headers={"Content-Type": "application/json"})
r = c.getresponse()
r.read()
print("first-run setup (PBKDF2-HMAC-SHA256, 10000 iterations): %.1f ms" % ((time.perf_counter() - start) * 1000))
sid = r.getheader("Set-Cookie").split(";")[0]

def run(path, n):
    times, codes = [], {}
    t0 = time.perf_counter()
    for _ in range(n):
        s = time.perf_counter()
        c.request("GET", path, headers={"Cookie": sid})
        r = c.getresponse()
        body = r.read()
        times.append(time.perf_counter() - s)
        codes[r.status] = codes.get(r.status, 0) + 1
    times.sort()
    print("%d GET %s: %.2f s, median %.2f ms, p99 %.2f ms, max %.2f ms, statuses %s, %d bytes"
          % (n, path, time.perf_counter() - t0, times[n // 2] * 1000, times[int(n * 0.99)] * 1000, times[-1] * 1000, codes, len(body)))

run("/api/status", 1000)
run("/app.js", 200)
slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
for s in slow:
    s.send(b"GET / HTTP/1.1\r\nHo")  # never finished: each holds a slot until its 10 s deadline
print("with 3 of the 4 slots held by slowloris clients:")
run("/api/status", 300)
