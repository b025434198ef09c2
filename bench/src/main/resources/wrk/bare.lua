-- The bare Vert.x endpoint: GET / only, counted like every other scenario.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")
