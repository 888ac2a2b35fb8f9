import { createContext, useContext } from "react";

/** Opens the "Create room" dialog, which lives in the layout so any page can offer it. */
export const CreateRoomContext = createContext<() => void>(() => undefined);

export const useOpenCreateRoom = () => useContext(CreateRoomContext);
