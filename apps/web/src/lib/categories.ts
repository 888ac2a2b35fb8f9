import type { RoomCategory } from "@murmur/api-contract";

export const categoryLabel = (category: RoomCategory | string) =>
  category.slice(0, 1).toUpperCase() + category.slice(1);
