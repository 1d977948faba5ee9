"""Where the verifier's CPU goes, from a JFR recording of verifier/bench/run.sh (docs/BENCHMARKS.md,
"Verifier"): the shares of the service's (dw-*) execution samples by group, each sample in the group
of its innermost frame that belongs to one (outer frames such as Jetty's SslConnection are on every
stack), between two times of day (the benchmark logs each row's end time on stderr).

  jfr print --json --stack-depth 256 --events jdk.ExecutionSample bench.jfr > bench.json
  python3 verifier/bench/profile-shares.py bench.json HH:MM:SS HH:MM:SS [thread-name-prefix]
"""
import json, sys
from collections import Counter
GROUPS = [
    ("verification: RSA signature", ("RSASSAVerifier", "sun.security.rsa", "java.security.Signature", "RSACore", "java.math.BigInteger")),
    ("verification: PKIX chain", ("CertPathValidator", "CertificateChainValidator", "sun.security.provider.certpath")),
    ("verification: JOSE, claims", ("net.appstore.receipt", "com.nimbusds", "JSONObjectUtils")),
    ("purchase: cache / JDBC / pool", ("net.appstore.verifier.db", "org.postgresql", "org.apache.tomcat.jdbc", "org.jdbi", "PurchaseCheck", "caffeine")),
    ("request log", ("ch.qos.logback", "LogbackAccessRequestLog.log", "AsyncAccessEventAppenderFactory", "io.dropwizard.logging")),
    ("TLS", ("sun.security.ssl", "javax.crypto", "com.sun.crypto", "SSLEngine")),
    ("Jackson", ("com.fasterxml.jackson",)),
    ("servlet, request id, CORS", ("net.appstore.verifier.resources", "net.appstore.service")),
    ("metrics", ("com.codahale", "InstrumentedHandler", "io.dropwizard.metrics")),
    ("Jetty", ("org.eclipse.jetty",)),
]
data = json.load(open(sys.argv[1]))
lo, hi = sys.argv[2], sys.argv[3]
prefix = sys.argv[4] if len(sys.argv) > 4 else "dw-"
counts = Counter(); total = 0
for e in data["recording"]["events"]:
    v = e["values"]
    t = v["startTime"][11:19]
    if not (lo <= t <= hi):
        continue
    th = (v.get("sampledThread") or {}).get("javaName") or ""
    if not th.startswith(prefix):
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in (v["stackTrace"] or {}).get("frames", [])]
    total += 1
    group = "other"
    for frame in frames:  # leaf first: the innermost frame that belongs to a group decides
        match = next((name for name, keys in GROUPS if any(k in frame for k in keys)), None)
        if match:
            group = match
            break
    counts[group] += 1
print(f"{total} samples of {prefix}* threads {lo}-{hi}")
for name, _ in GROUPS + [("other", ())]:
    print(f"{name:35s} {100.0 * counts[name] / max(1, total):5.1f}%")
