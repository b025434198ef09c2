-- GET one record by id, ids drawn at random from the seeded ones. With PLINTH_THINK_MS each
-- connection waits that long before its next request (a paced client, not a flood).
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local ids = load_ids()
local think = tonumber(os.getenv("PLINTH_THINK_MS") or "")

function request()
  return get_by_id(ids)
end

if think then
  -- wrk calls delay() before each request when the script defines it.
  function delay()
    return think
  end
end
