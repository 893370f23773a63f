export interface ParsedWorkshop {
  id: string;
  code?: string;
  facilitatorToken?: string;
  presenterToken?: string;
}
export interface ParsedOutput {
  baseUrl: string | null;
  workshops: ParsedWorkshop[];
}
export function parseServerOutput(text: string): ParsedOutput;
export function isComplete(parsed: ParsedOutput, expectedWorkshops: number): boolean;
