-- The noisy neighbour: half unindexed scans with an exact count, half batches of PLINTH_BATCH.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local batch = tonumber(os.getenv("PLINTH_BATCH"))

function request()
  if math.random(2) == 1 then
    return wrk.format("GET",
      records_path .. "?qty=eq." .. math.random(0, 999) .. "&count=exact&limit=20")
  end
  local records = {}
  for i = 1, batch do
    records[i] = record_json()
  end
  return post("[" .. table.concat(records, ",") .. "]")
end
