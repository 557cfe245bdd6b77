variable "name" {
  description = "Prefix of the secrets' names and the KMS key's alias, e.g. booking-dev."
  type        = string
}

variable "generated" {
  description = "Secrets generated here as a random 256-bit key in base64 (e.g. the patient-data key), by name, with their descriptions."
  type        = map(string)
  default     = {}
}

variable "operated" {
  description = "Secrets whose values an operator puts (e.g. provider credentials), by name, with their descriptions: what to put in each."
  type        = map(string)
  default     = {}
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored: 0 deletes at once (development), 7 to 30 otherwise."
  type        = number
}
