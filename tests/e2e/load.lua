-- tests/e2e/load.lua - the wrk script of tests/e2e/load.test: counts the
-- responses wrk's thread completes, checks each one (a 2xx status, and the
-- hello example's exact body), and stops the thread once LIMIT of them have
-- come back.  Arguments (after wrk's --): LIMIT MARK; MARK is a file written
-- at the first response and at the LIMIT-th, each time with the time
-- (date +%s.%N), so that the test knows when to end wrk (whose main thread
-- sleeps for -d) and how long the LIMIT responses took.
-- wrk's thread also completes the responses that arrive in the same pass of
-- its event loop as the LIMIT-th: they are counted and checked too, so
-- "responses" is LIMIT plus at most the number of connections less one.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	limit = tonumber(args[1])
	mark = args[2]
	responses = 0
	non2xx = 0
	badbody = 0
end

local function stamp(what)
	local date = io.popen("date +%s.%N")
	local now = date:read("*l")
	date:close()
	local f = io.open(mark, "a")
	f:write(what, " ", now, "\n")
	f:close()
end

function response(status, headers, body)
	responses = responses + 1
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
	if body ~= "Some example content" then
		badbody = badbody + 1
	end
	if responses == 1 then
		stamp("first")
	end
	if responses == limit then
		stamp("last")
		wrk.thread:stop()
	end
end

function done(summary, latency, requests)
	for _, t in ipairs(threads) do
		io.write(string.format("load.lua: responses %d non-2xx %d bad-body %d\n",
			t:get("responses"), t:get("non2xx"), t:get("badbody")))
	end
	local e = summary.errors
	io.write(string.format("load.lua: errors connect %d read %d write %d status %d timeout %d\n",
		e.connect, e.read, e.write, e.status, e.timeout))
end
