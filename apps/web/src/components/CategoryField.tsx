import { ROOM_CATEGORIES, type RoomCategory } from "@murmur/api-contract";
import type { ComponentProps } from "react";
import { categoryLabel } from "../lib/categories";
import { FormField } from "./FormField";

interface CategoryFieldProps extends Omit<
  ComponentProps<"select">,
  "id" | "aria-invalid" | "aria-describedby" | "value" | "onChange" | "children"
> {
  error?: string | undefined;
  value: RoomCategory;
  onChange: (category: RoomCategory) => void;
}

/** A room's category, picked from the fixed list. */
export function CategoryField({ error, value, onChange, ...select }: CategoryFieldProps) {
  return (
    <FormField label="Category" error={error}>
      {(wiring) => (
        <select {...wiring} {...select} value={value} onChange={(e) => onChange(e.target.value as RoomCategory)}>
          {ROOM_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
