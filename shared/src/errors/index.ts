export { AppError, assertNever, coerceError, type TAppErrorCode } from "./app-error.ts";
