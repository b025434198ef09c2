-- 90 % GET by id, 10 % insert one.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local ids = load_ids()

function request()
  if math.random(10) == 1 then
    return post(record_json())
  end
  return get_by_id(ids)
end
