-- Insert PLINTH_BATCH records per request, as one JSON array.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local batch = tonumber(os.getenv("PLINTH_BATCH"))

function request()
  local records = {}
  for i = 1, batch do
    records[i] = record_json()
  end
  return post("[" .. table.concat(records, ",") .. "]")
end
