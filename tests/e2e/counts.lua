-- tests/e2e/counts.lua - the wrk script of tests/e2e/restart.test and
-- multihost.test: checks every response (a 2xx status and the hello
-- example's exact body) and, at the end, prints one line with the counts
-- of all threads and one with wrk's socket errors, for the test to read:
--   counts: responses N non2xx N badbody N
--   errors: connect N read N write N status N timeout N
--   upstreams: ADDRESS N ...   (by the X-Upstream header, when sent;
--                               "A,B" when nginx tried A, then B)

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	responses = 0
	non2xx = 0
	badbody = 0
	upstreams = {}
end

function response(status, headers, body)
	responses = responses + 1
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	elseif body ~= "Some example content" then
		badbody = badbody + 1
	end
	local u = headers["X-Upstream"]
	if u then
		-- "A, B" when nginx tried two: one word, "A,B".
		u = string.gsub(u, ", ", ",")
		upstreams[u] = (upstreams[u] or 0) + 1
	end
end

function done(summary, latency, requests)
	local r, n, b = 0, 0, 0
	for _, t in ipairs(threads) do
		r = r + t:get("responses")
		n = n + t:get("non2xx")
		b = b + t:get("badbody")
	end
	local by = {}
	for _, t in ipairs(threads) do
		for k, v in pairs(t:get("upstreams") or {}) do
			by[k] = (by[k] or 0) + v
		end
	end
	local e = summary.errors
	io.write(string.format("counts: responses %d non2xx %d badbody %d\n", r, n, b))
	io.write(string.format("errors: connect %d read %d write %d status %d timeout %d\n",
		e.connect, e.read, e.write, e.status, e.timeout))
	local keys = {}
	for k in pairs(by) do table.insert(keys, k) end
	table.sort(keys)
	if #keys > 0 then
		io.write("upstreams:")
		for _, k in ipairs(keys) do io.write(" " .. k .. " " .. by[k]) end
		io.write("\n")
	end
end
