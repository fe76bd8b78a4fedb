-- bench/load.lua - the mixed load of bench/load for wrk: record pages, API
-- lists and details, statistics, the dashboard, logins and a few writes.
-- Arguments (after wrk's --): ADMIN_TOKEN OFFICER_TOKEN OFFICER PASSWORD
-- ESTABLISHMENT_IDS CLASS_IDS (ids comma-separated). Each wrk thread draws
-- from its own seeded sequence, so two runs send the same mix.

local admin, officer, officer_name, password
local est, cls = {}, {}
local serial = 0
local counter = 0

-- thread_no is a global: setup (in wrk's main state) sets it in each thread's.
function setup(thread)
	thread:set("thread_no", counter)
	counter = counter + 1
end

local function ids(list)
	local out = {}
	for id in string.gmatch(list or "", "%d+") do
		out[#out + 1] = id
	end
	return out
end

function init(args)
	admin, officer, officer_name, password = args[1], args[2], args[3], args[4]
	est, cls = ids(args[5]), ids(args[6])
	math.randomseed(1000 + (thread_no or 0))
end

local function as(token, method, path, body)
	local h = { ["Authorization"] = "Bearer " .. token }
	if body then
		h["Content-Type"] = "application/json"
	end
	return wrk.format(method, path, h, body)
end

local function pick(list)
	return list[math.random(#list)]
end

-- {weight, function returning the request}; the weights add up to 100.
local mix = {
	{ 14, function() return as(admin, "GET", "/establishments?page=" .. math.random(3)) end },
	{ 10, function() return as(admin, "GET", "/establishments/" .. pick(est)) end },
	{ 14, function() return as(admin, "GET", "/api/v1/establishments?per_page=20&page=" .. math.random(3)) end },
	{ 10, function() return as(admin, "GET", "/api/v1/establishments/" .. pick(est)) end },
	{ 8, function() return as(officer, "GET", "/api/v1/training-classes?per_page=20") end },
	{ 6, function() return as(admin, "GET", "/api/v1/training-classes/" .. pick(cls)) end },
	{ 10, function()
		return as(admin, "GET", "/api/v1/stats?indicator=training.trainees&from=2016&to=2025&by=province")
	end },
	{ 5, function() return as(officer, "GET", "/stats?indicator=training.trainees&from=2016&to=2025&by=year") end },
	{ 8, function() return as(officer, "GET", "/api/v1/dashboard?province=33&from=2016&to=2025") end },
	{ 7, function() return as(admin, "GET", "/dashboard") end },
	{ 2, function()
		return wrk.format("POST", "/api/v1/session", { ["Content-Type"] = "application/json" },
			'{"username":"' .. officer_name .. '","password":"' .. password .. '"}')
	end },
	{ 6, function()
		serial = serial + 1
		return as(officer, "POST", "/api/v1/training-classes",
			'{"province":"33","kind":"vocational","topic":"Lớp tải ' .. thread_no .. "-" .. serial
				.. '","year":2026,"trainees":' .. (10 + serial % 30) .. "}")
	end },
}

function request()
	local r = math.random(100)
	for _, m in ipairs(mix) do
		r = r - m[1]
		if r <= 0 then
			return m[2]()
		end
	end
	return mix[1][2]()
end

-- The numbers bench/load reads: wrk counts answers other than 2xx/3xx in
-- errors.status.
function done(summary, latency, requests)
	io.write(string.format("load: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000))
	io.write(string.format("load: requests %d, socket errors %d, non-2xx/3xx %d\n", summary.requests,
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
		summary.errors.status))
end
