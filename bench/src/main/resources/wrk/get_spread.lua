-- GET one record by id, spread over the first PLINTH_TENANTS tenants of PLINTH_SPREAD_FILE
-- (one tenant a line: its secret key, then the ids of its records, separated by spaces); each
-- request picks a tenant, then one of its records, and sends that tenant's key.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local tenants = {}
local wanted = tonumber(os.getenv("PLINTH_TENANTS"))
for line in io.lines(os.getenv("PLINTH_SPREAD_FILE")) do
  if #tenants == wanted then
    break
  end
  local words = {}
  for word in line:gmatch("%S+") do
    words[#words + 1] = word
  end
  tenants[#tenants + 1] = { key = table.remove(words, 1), ids = words }
end

function request()
  local tenant = tenants[math.random(#tenants)]
  local id = tenant.ids[math.random(#tenant.ids)]
  return wrk.format("GET", records_path .. "/" .. id, { apikey = tenant.key })
end
