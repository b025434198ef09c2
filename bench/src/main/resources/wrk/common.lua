-- Shared by every wrk scenario of bench/data-plane, loaded with dofile from PLINTH_WRK_DIR.
-- Parameters come from the environment: PLINTH_API_KEY, PLINTH_PATH (the records path),
-- PLINTH_IDS_FILE (one record id a line), PLINTH_RUN (unique per wrk process, so that inserted
-- skus never repeat across runs).

wrk.headers["apikey"] = os.getenv("PLINTH_API_KEY")
wrk.headers["Content-Type"] = "application/json"

records_path = os.getenv("PLINTH_PATH")

local threads = {}

-- Runs in the main Lua state, once per thread: gives each thread a number for its skus.
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

-- Runs in each thread's own Lua state.
function init(args)
  non2xx = 0
  error_sample = nil
  sku_counter = 0
  math.randomseed(os.time() * 1000 + thread_id)
end

-- wrk's own "Non-2xx or 3xx responses" counts only status >= 400; anything but 2xx is an error.
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if error_sample == nil then
      error_sample = status .. " " .. string.sub(body or "", 1, 200):gsub("\n", " ")
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non2xx")
    local sample = thread:get("error_sample")
    if sample then
      io.write("Error sample: ", sample, "\n")
    end
  end
  io.write("Non-2xx responses: ", total, "\n")
end

function load_ids()
  local ids = {}
  for line in io.lines(os.getenv("PLINTH_IDS_FILE")) do
    ids[#ids + 1] = line
  end
  return ids
end

function get_by_id(ids)
  return wrk.format("GET", records_path .. "/" .. ids[math.random(#ids)])
end

-- One record as JSON, with a sku no other request of this bench run uses.
function record_json()
  sku_counter = sku_counter + 1
  local sku = "sku-" .. os.getenv("PLINTH_RUN") .. "-" .. thread_id .. "-" .. sku_counter
  return string.format('{"title":"Bench item %s","price":%.2f,"qty":%d,"sku":"%s"}',
    sku, math.random(0, 9999) / 100, math.random(0, 999), sku)
end

function post(body)
  return wrk.format("POST", records_path, nil, body)
end
