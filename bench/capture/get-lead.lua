-- wrk script of bench/capture/run.sh (proxy comparison): an authenticated read, GET of one lead with
-- a marketer's bearer token (the gateway verifies the JWT and enforces the route's roles on every
-- request; capture-service checks it again).
-- Environment: BENCH_TOKEN (access token), BENCH_PATH (e.g. /api/capture/leads/<id>)
local token = os.getenv("BENCH_TOKEN") or ""
local path = os.getenv("BENCH_PATH") or "/"
local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }

function request()
  return wrk.format("GET", path, headers, nil)
end
