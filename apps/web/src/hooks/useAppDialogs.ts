import { createContext, useContext } from "react";

export type AppDialog = "create-room" | "join-by-code" | "new-message";

/** Opens one of the app-wide dialogs, which live in the layout so any page can offer them. */
export const AppDialogsContext = createContext<(dialog: AppDialog) => void>(() => undefined);

export const useOpenDialog = () => useContext(AppDialogsContext);
