#!/usr/bin/env bash
# The README walkthrough against a running ledger: a partner records activities, the agency
# verifies one, finance verifies an expenditure. Needs BASE and the four tokens in the environment
# (`npm run demo` prints how to mint them); test/readme-walkthrough.e2e-spec.ts runs it for real.
set -euo pipefail
: "${BASE:?}" "${PARTNER:?}" "${AUDITOR:?}" "${FINANCE:?}" "${ADMIN:?}"
P="$BASE/api/v1/projects/07-003-P-0001"
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"; }
call() { curl -sS -f -H "Content-Type: application/json" "$@"; }

# 1. The partner (Visaginas) records a home nursing visit; the personal code becomes a pseudonym.
VISIT=$(call -X POST "$P/activities/service-deliveries" -H "Authorization: Bearer $PARTNER" \
  -H "Idempotency-Key: visaginas-2024-03-14-0001" \
  -d '{"occurredOn":"2024-03-14","service":"nursing","targetGroup":"elderly","setting":"home",
       "durationMinutes":90,"workerRef":"nurse-07",
       "recipient":{"personalCode":"34001011238","profile":{"sex":"male","birthYear":1940,"disability":true}}}')
ACTIVITY=$(echo "$VISIT" | json activityId)
echo "recorded service delivery $ACTIVITY"

# 2. ... and a caregiver consultation and a training.
call -X POST "$P/activities/caregiver-consultations" -H "Authorization: Bearer $PARTNER" \
  -d '{"occurredOn":"2024-03-15","topic":"preparing-to-care","durationMinutes":60,"familyMembers":2}' > /dev/null
call -X POST "$P/activities/trainings" -H "Authorization: Bearer $PARTNER" \
  -d '{"occurredOn":"2024-03-20","trainingKind":"qualification","topic":"Palliative care at home","durationMinutes":480,"participants":14}' > /dev/null
echo "recorded a consultation and a training"

# 3. The agency verifies the visit.
call -X POST "$P/activities/$ACTIVITY/verify" -H "Authorization: Bearer $AUDITOR" -d '{"note":"matches the visit log"}' > /dev/null
echo "verified $ACTIVITY: review $(call "$P/activities/$ACTIVITY" -H "Authorization: Bearer $AUDITOR" | json state | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).review))')"

# 4. Finance allocates, the partner declares a cost, finance verifies it to the cent.
call -X PUT "$P/allocations/visaginas-spc/equipment" -H "Authorization: Bearer $FINANCE" -d '{"amount":"50000.00"}' > /dev/null
COST=$(call -X POST "$P/expenditures" -H "Authorization: Bearer $PARTNER" \
  -d '{"categoryId":"equipment","amount":"1234.57","occurredOn":"2024-03-18","documentRef":"INV-2024-0042","description":"Hoist slings"}' | json expenditureId)
call -X POST "$P/expenditures/$COST/verify" -H "Authorization: Bearer $FINANCE" \
  -d '{"eligible":"1000.01","ineligible":"234.56","ineligibleReason":"not-in-approved-budget","note":"one line outside the category"}' > /dev/null
VERDICT=$(call "$P/expenditures/$COST" -H "Authorization: Bearer $FINANCE" | json verification)
echo "verified expenditure $COST: $(echo "$VERDICT" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(JSON.stringify({eligible:v.eligible,ineligible:v.ineligible}))})')"
echo "ineligible because: $(echo "$VERDICT" | json ineligibleReason)"
