# Demo part: the foundation — the HSM token and the database pair.
# Sourced by ops/demo with .stack/env exported.

step "HSM: the SoftHSM2 token the signer's keys live in (label $HSM_TOKEN_LABEL)"
softhsm2-util --show-slots | grep -B2 -A8 "Label:.*$HSM_TOKEN_LABEL" | grep -E "Slot |Label|Serial|Initialized|User PIN init" | sed 's/^/    /' >&2

step "PostgreSQL: a row written on the primary streams to the replica"
demo_psql() { # URL SQL
  local url=$1 sql=$2
  psql "$(jdbc_to_libpq "$url")" -XAtqc "$sql"
}
jdbc_to_libpq() { # jdbc:postgresql://host:port/db?user=u&password=p -> postgresql://u:p@host:port/db
  local rest=${1#jdbc:postgresql://} hostdb query user password
  hostdb=${rest%%\?*}; query=${rest#*\?}; [ "$query" = "$rest" ] && query=""
  user=$(printf '%s' "$query" | tr '&' '\n' | sed -n 's/^user=//p')
  password=$(printf '%s' "$query" | tr '&' '\n' | sed -n 's/^password=//p')
  printf 'postgresql://%s%s@%s' "${user:-postgres}" "${password:+:$password}" "$hostdb"
}
marker="demo-$(date +%s)"
demo_psql "$PRIMARY_JDBC_URL" "CREATE TABLE IF NOT EXISTS public.demo_heartbeat (marker text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now()); INSERT INTO public.demo_heartbeat (marker) VALUES ('$marker');"
say "    wrote '$marker' on the primary"
for _ in $(seq 1 50); do
  seen=$(demo_psql "$REPLICA_JDBC_URL" "SELECT count(*) FROM public.demo_heartbeat WHERE marker = '$marker'" 2>/dev/null || echo 0)
  [ "$seen" = 1 ] && break
  sleep 0.1
done
[ "$seen" = 1 ] || die "the replica did not receive the row within 5 s"
say "    read '$marker' back from the replica; replica lag now: $(demo_psql "$REPLICA_JDBC_URL" "SELECT coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3), 0) || ' s'")"
