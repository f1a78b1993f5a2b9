// A password as a value that cannot be printed by accident: String(), JSON.stringify(),
// console.log() and util.inspect() all show "[secret]". Only the database driver calls reveal().
import { inspect } from "node:util";

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[secret]";
  }
  toJSON(): string {
    return "[secret]";
  }
  [inspect.custom](): string {
    return "[secret]";
  }
}
