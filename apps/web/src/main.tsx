import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { listenForWorkerNavigation, registerServiceWorker } from "./lib/serviceWorker";
import "./styles.css";

listenForWorkerNavigation();
void registerServiceWorker();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
